import { app, Notification, shell as electronShell, type BrowserWindow } from 'electron';
import type { Shell } from '../desktop/ports';
import type { RoostE2E } from './e2eProbe';
import type { AppTray } from './tray';

/**
 * The Shell port (main/desktop/ports.ts) with Electron: native notifications,
 * the unread count on tray and badge, the system browser, and the window.
 */
export function createElectronShell(deps: { window: () => BrowserWindow | undefined; tray: () => AppTray | undefined; e2e?: RoostE2E }): Shell {
  // Electron drops a notification's click handler once the object is garbage collected; keep each until it is done.
  const live = new Set<Notification>();

  const showWindow = () => {
    const win = deps.window();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  return {
    windowVisibility() {
      const win = deps.window();
      if (!win || win.isDestroyed()) return { visible: false, focused: false };
      return { visible: win.isVisible() && !win.isMinimized(), focused: win.isFocused() };
    },
    showNotification(request, onClick) {
      if (!Notification.isSupported()) return false;
      const notification = new Notification({ title: request.title, body: request.body });
      live.add(notification);
      const done = () => live.delete(notification);
      notification.on('click', () => {
        done();
        onClick();
      });
      notification.on('close', done);
      notification.on('failed', done);
      notification.show();
      deps.e2e?.notifications.push(request);
      return true;
    },
    showWindow,
    setUnreadCount(count) {
      const tray = deps.tray();
      tray?.setUnread(count);
      // macOS dock and Linux launchers (Unity); a no-op returning false elsewhere.
      app.setBadgeCount(count);
      if (deps.e2e) {
        deps.e2e.unreadCount = count;
        deps.e2e.trayTooltip = tray?.tooltip() ?? '';
      }
    },
    openExternal: (url) => electronShell.openExternal(url),
  };
}
