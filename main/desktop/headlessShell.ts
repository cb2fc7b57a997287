import type { NotificationRequest } from '../../shared/desktop';
import type { WindowVisibility } from './notificationPolicy';
import type { Shell } from './ports';

/**
 * A Shell with no window and no OS: it records what the app asked for. For
 * tests and for running DesktopServices outside Electron (a Playwright page
 * standing in for the window), where `click` plays the person clicking a
 * notification.
 */
export type HeadlessShell = Shell & {
  /** The pretend window; assigning it tells onWindowChange listeners, as a real window's events would. */
  window: WindowVisibility;
  readonly notifications: NotificationRequest[];
  readonly opened: string[];
  unreadCount: number;
  windowShown: number;
  /** Clicks the `index`-th notification shown (default the last). */
  click(index?: number): void;
};

export function createHeadlessShell(window: WindowVisibility = { visible: true, focused: true }): HeadlessShell {
  const clicks: Array<() => void> = [];
  const windowListeners = new Set<() => void>();
  let current = window;
  const shell: HeadlessShell = {
    get window() {
      return current;
    },
    set window(next: WindowVisibility) {
      current = next;
      for (const listener of windowListeners) listener();
    },
    onWindowChange(listener) {
      windowListeners.add(listener);
      return () => windowListeners.delete(listener);
    },
    notifications: [],
    opened: [],
    unreadCount: 0,
    windowShown: 0,
    windowVisibility: () => shell.window,
    showNotification(request, onClick) {
      shell.notifications.push(request);
      clicks.push(onClick);
      return true;
    },
    showWindow() {
      shell.windowShown++;
      shell.window = { visible: true, focused: true };
    },
    setUnreadCount(count) {
      shell.unreadCount = count;
    },
    async openExternal(url) {
      shell.opened.push(url);
    },
    click(index = clicks.length - 1) {
      const onClick = clicks[index];
      if (!onClick) throw new Error(`no notification #${index} was shown (${clicks.length} shown)`);
      onClick();
    },
  };
  return shell;
}
