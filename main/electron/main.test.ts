/**
 * main.ts end to end against a stand-in for Electron (no binary exists here):
 * start-up, the app:// protocol, the IPC bridge reaching DesktopServices, the
 * e2e probe, close-to-tray, and quitting (which must stop the services first).
 * mDNS browsing is replaced: tests never multicast on real interfaces.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../hub/testing/tempDir';
import type * as Electron from 'electron';
import type { RoostE2E } from './e2eProbe';
import { app, fake, FakeEvent } from './testing/fakeElectron';

vi.mock('electron', () => import('./testing/fakeElectron'));
vi.mock('../discovery/browse', () => ({
  browseHubs: () => ({ hubs: () => [], refresh: () => {}, stop: async () => {} }),
}));

const temp = await makeTempDir('roost-electron-main-');
afterAll(() => temp.remove());
process.env.ROOST_E2E = '1';
// The app folder: a stand-in web build, so this test does not depend on `npm run build:web`.
fake.appPath = path.join(temp.dir, 'app');
await mkdir(path.join(fake.appPath, 'dist', 'renderer'), { recursive: true });
await writeFile(path.join(fake.appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
process.env.ROOST_USER_DATA = path.join(temp.dir, 'profile');

await import('./main');
await vi.waitFor(() => expect(fake.windows[0]?.loaded).toBe('app://roost/'), { timeout: 10_000 });
const win = fake.windows[0]!;
const probe = (globalThis as { roostE2E?: RoostE2E }).roostE2E!;
const fromPage = () => ({ senderFrame: win.webContents.mainFrame, sender: win.webContents });

describe('main.ts with a stand-in Electron', () => {
  it('uses the profile from ROOST_USER_DATA and registers app:// as a privileged scheme', () => {
    expect(fake.paths.get('userData')).toBe(path.join(temp.dir, 'profile'));
    // Electron's app.setPath throws for a folder that does not exist.
    expect(existsSync(path.join(temp.dir, 'profile'))).toBe(true);
    expect(fake.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the built web client at app://roost with the CSP', async () => {
    const res = await fake.protocolHandlers.get('app')!(new Request('app://roost/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('id="root"');
  });

  it('answers bridge calls from the page and records shown notifications in the e2e probe', async () => {
    expect(await fake.ipc.get('roost:getSetup')!(fromPage())).toEqual({ mode: 'unset' });
    win.show();
    win.hide();
    // The page learns the window is no longer attended from main (a hidden page still counts as visible).
    expect(win.webContents.sent.filter(([channel]) => channel === 'roost:event:windowAttended').at(-1)).toEqual([
      'roost:event:windowAttended',
      false,
    ]);
    expect(await fake.ipc.get('roost:windowAttended')!(fromPage())).toBe(false);
    const request = { conversationId: 'general', title: 'Bob', body: 'hi' };
    expect(await fake.ipc.get('roost:notify')!(fromPage(), request)).toBe(true);
    expect(probe.notifications).toEqual([request]);
    expect(fake.notifications).toEqual([{ title: 'Bob', body: 'hi' }]);
    await fake.ipc.get('roost:setUnreadCount')!(fromPage(), 3);
    expect(probe).toMatchObject({ unreadCount: 3, trayTooltip: 'Roost: 3 unread messages' });
    expect(fake.badge).toBe(3);
  });

  it("routes the session's certificate checks through the pin check: other hosts keep Chromium's verdict", async () => {
    expect(fake.certificateVerifyProcInstalls).toBe(1);
    const request = {
      hostname: 'example.com',
      certificate: { data: 'not read for a host that is not pinned' },
      verificationResult: 'OK',
      errorCode: 0,
    } as unknown as Electron.Request;
    const verdict = await new Promise<number>((resolve) => fake.certificateVerifyProc!(request, resolve));
    expect(verdict).toBe(-3);
  });

  it('mutes from the tray menu, and the page hears of it', async () => {
    const tray = fake.trays[0]!;
    const item = () => tray.menu.find((i) => i.label === 'Mute notifications')!;
    expect(item()).toMatchObject({ type: 'checkbox', checked: false });
    item().click!({ checked: true });
    await vi.waitFor(() => expect(win.webContents.sent).toContainEqual(['roost:event:muted', true]));
    expect(item().checked).toBe(true);
    expect(await fake.ipc.get('roost:getMuted')!(fromPage())).toBe(true);
  });

  it('closing the window hides it; quitting stops the services before the app ends', async () => {
    win.show();
    const close = new FakeEvent();
    win.emit('close', close);
    expect(close.defaultPrevented).toBe(true);
    expect(win.isVisible()).toBe(false);
    app.quit();
    // The first quit is held back while the services stop; then quit runs again and goes through.
    await vi.waitFor(() => expect(fake.quits).toBe(2));
  });
});
