/**
 * Quitting while the services are still starting (the hub opening its data,
 * say) must wait for them and then stop them, not leave the hub's data
 * folder locked and its last messages unflushed, and must build no window.
 */
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../hub/testing/tempDir';
import { app, fake } from './testing/fakeElectron';

vi.mock('electron', () => import('./testing/fakeElectron'));
vi.mock('../discovery/browse', () => ({
  browseHubs: () => ({ hubs: () => [], refresh: () => {}, stop: async () => {} }),
}));

// tsconfig.node.json's lib (ES2023) has no Promise.withResolvers (ES2024).
let finishOpening!: (services: unknown) => void;
const opening = { promise: new Promise<unknown>((resolve) => (finishOpening = resolve)) };
const closed = vi.fn(async () => {});
let openCalls = 0;
vi.mock('../desktop/DesktopServices', () => ({
  DesktopServices: {
    open: () => {
      openCalls++;
      return opening.promise;
    },
  },
}));

const temp = await makeTempDir('roost-electron-quit-');
afterAll(() => temp.remove());
process.env.ROOST_USER_DATA = path.join(temp.dir, 'profile');
fake.appPath = path.join(temp.dir, 'app');

await import('./main');

describe('main.ts: quit while the services start', () => {
  it('waits for them, stops them, then quits, and builds no window', async () => {
    await vi.waitFor(() => expect(openCalls).toBe(1));
    app.quit();
    // Held back: the services are not there yet to be stopped.
    expect(fake.quits).toBe(1);
    finishOpening({ close: closed });
    await vi.waitFor(() => expect(fake.quits).toBe(2));
    expect(closed).toHaveBeenCalledTimes(1);
    expect(fake.windows).toHaveLength(0);
  });
});
