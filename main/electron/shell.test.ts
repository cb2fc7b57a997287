/** The Electron Shell against the stand-in (no binary exists here): notifications the system refuses, and the badge. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElectronShell } from './shell';
import { fake } from './testing/fakeElectron';

vi.mock('electron', () => import('./testing/fakeElectron'));

afterEach(() => {
  fake.notificationError = undefined;
  fake.notifications.length = 0;
  vi.restoreAllMocks();
});

const request = { conversationId: 'general', title: 'Bob', body: 'hi' };

describe('createElectronShell', () => {
  it('shows a notification and runs nothing until it is clicked', () => {
    const shell = createElectronShell({ window: () => undefined, tray: () => undefined });
    const onClick = vi.fn();
    expect(shell.showNotification(request, onClick)).toBe(true);
    expect(fake.notifications).toEqual([{ title: 'Bob', body: 'hi' }]);
    expect(onClick).not.toHaveBeenCalled();
  });

  it("escapes a message's markup for Linux notification servers, and only there", () => {
    const hostile = { conversationId: 'general', title: 'Bob', body: '<a href="https://evil.example">win</a> & more' };
    createElectronShell({ window: () => undefined, tray: () => undefined, platform: 'linux' }).showNotification(
      hostile,
      () => {},
    );
    createElectronShell({ window: () => undefined, tray: () => undefined, platform: 'darwin' }).showNotification(
      hostile,
      () => {},
    );
    expect(fake.notifications).toEqual([
      { title: 'Bob', body: '&lt;a href="https://evil.example"&gt;win&lt;/a&gt; &amp; more' },
      { title: 'Bob', body: hostile.body },
    ]);
  });

  it('says once why notifications fail (Electron 42+ on macOS: app not code-signed), not per message', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fake.notificationError = 'Notifications are not authorized';
    const shell = createElectronShell({ window: () => undefined, tray: () => undefined });
    shell.showNotification(request, () => {});
    shell.showNotification({ ...request, body: 'again' }, () => {});
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /^roost: a notification could not be shown: Notifications are not authorized/,
    );
    expect(fake.notifications).toEqual([]);
  });

  it('sets the unread count on the tray and the app badge', () => {
    const setUnread = vi.fn();
    const tray = { setUnread, setMuted: () => {}, tooltip: () => '', destroy: () => {} };
    createElectronShell({ window: () => undefined, tray: () => tray }).setUnreadCount(5);
    expect(setUnread).toHaveBeenCalledWith(5);
    expect(fake.badge).toBe(5);
  });
});
