import { app, Notification, shell as electronShell, type BrowserWindow } from 'electron';
import { nativeNotification } from '../desktop/notificationPolicy';
import type { Shell } from '../desktop/ports';
import type { RoostE2E } from './e2eProbe';
import type { AppTray } from './tray';

/**
 * The Shell port (main/desktop/ports.ts) with Electron: native notifications,
 * the unread count on tray and badge, the system browser, and the window.
 */
/** Notifications kept referenced (and so clickable from the system's notification list) at most. */
const MAX_LIVE_NOTIFICATIONS = 100;

/** What the OS does to a window that changes whether someone can be looking at it. */
const WINDOW_EVENTS = ['show', 'hide', 'focus', 'blur', 'minimize', 'restore'] as const;

export type ElectronShell = Shell & {
  /** Starts reporting the window's show/hide/focus/blur/minimize/restore to onWindowChange listeners. */
  watchWindow(win: BrowserWindow): void;
};

export function createElectronShell(deps: {
  window: () => BrowserWindow | undefined;
  tray: () => AppTray | undefined;
  e2e?: RoostE2E;
  /** Whose notification rules apply (nativeNotification); the running platform unless a test says otherwise. */
  platform?: NodeJS.Platform;
}): ElectronShell {
  // Electron drops a notification's click handler once the object is garbage collected; keep each until it is done.
  const live = new Set<Notification>();
  // Once per run: when one notification fails, usually all do, for the same reason.
  let failureReported = false;
  const reportFailure = (error: string) => {
    if (failureReported) return;
    failureReported = true;
    // Electron 42+ notifies through UNNotification on macOS, which shows nothing for an app that is not code-signed.
    const hint = process.platform === 'darwin' ? ' (macOS shows notifications only from a code-signed app)' : '';
    console.warn(`roost: a notification could not be shown: ${error}${hint}`);
  };
  const windowListeners = new Set<() => void>();
  const windowChanged = () => {
    for (const listener of windowListeners) listener();
  };

  const showWindow = () => {
    const win = deps.window();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  return {
    watchWindow(win) {
      for (const event of WINDOW_EVENTS) win.on(event as 'show', windowChanged);
    },
    onWindowChange(listener) {
      windowListeners.add(listener);
      return () => windowListeners.delete(listener);
    },
    windowVisibility() {
      const win = deps.window();
      if (!win || win.isDestroyed()) return { visible: false, focused: false };
      return { visible: win.isVisible() && !win.isMinimized(), focused: win.isFocused() };
    },
    showNotification(request, onClick) {
      if (!Notification.isSupported()) return false;
      const notification = new Notification(nativeNotification(request, deps.platform ?? process.platform));
      live.add(notification);
      // Some systems never report a close: keep the newest ones clickable, not every one ever shown.
      if (live.size > MAX_LIVE_NOTIFICATIONS) live.delete(live.values().next().value!);
      const done = () => live.delete(notification);
      notification.on('click', () => {
        done();
        onClick();
      });
      notification.on('close', done);
      notification.on('failed', (_event, error) => {
        done();
        reportFailure(error);
      });
      notification.show();
      deps.e2e?.notifications.push(request);
      return true;
    },
    showWindow,
    setUnreadCount(count) {
      const tray = deps.tray();
      tray?.setUnread(count);
      // The macOS Dock, and Linux docks that speak the LauncherEntry D-Bus API (Electron 45; 44 had dropped Linux
      // with Unity), which find the badge's app by its .desktop file: roost.desktop, matching both Electron's
      // default (the app's name) and electron-builder's (linux.executableName). A no-op returning false elsewhere.
      app.setBadgeCount(count);
      if (deps.e2e) {
        deps.e2e.unreadCount = count;
        deps.e2e.trayTooltip = tray?.tooltip() ?? '';
      }
    },
    openExternal: (url) => electronShell.openExternal(url),
  };
}
