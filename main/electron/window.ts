import { BrowserWindow, screen } from 'electron';
import { DESKTOP_ORIGIN } from '../../shared/desktop';
import { safeExternalUrl } from '../desktop/externalUrl';
import type { WindowBounds } from '../desktop/SettingsStore';
import { initialWindow, MIN_WINDOW_SIZE } from '../desktop/windowState';

export type MainWindowOptions = {
  preload: string;
  saved: WindowBounds | undefined;
  saveBounds: (bounds: WindowBounds) => void;
  /** True once the app is quitting: then closing really closes instead of hiding to the tray. */
  isQuitting: () => boolean;
  openExternal: (url: string) => void;
};

/** How long the window must stay put before its place is written (moves and resizes come in bursts). */
const SAVE_DELAY_MS = 500;

/**
 * The one app window, locked down as Electron's security checklist asks: the
 * renderer runs sandboxed with context isolation and no Node, sees only what
 * the preload exposes, cannot navigate away from app://roost or open windows,
 * and links to the web open in the system browser.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const { bounds, maximized } = initialWindow(options.saved, displays, screen.getPrimaryDisplay().workArea);
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Roost',
    backgroundColor: '#15171c',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
      // A hidden window (closed to the tray) must keep its socket and timers running to receive and notify.
      backgroundThrottling: false,
    },
  });
  // Not before: maximize() also shows a hidden window (electron.d.ts, BrowserWindow.maximize),
  // blank until the page paints.
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });

  lockNavigation(win, options.openExternal);
  rememberBounds(win, options.saveBounds);

  win.on('close', (event) => {
    if (options.isQuitting()) return;
    // Close to tray: the app keeps receiving messages and notifying; quit from the tray or the menu.
    event.preventDefault();
    win.hide();
  });
  return win;
}

function lockNavigation(win: BrowserWindow, openExternal: (url: string) => void): void {
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) openExternal(safe);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    // Within the app (a reload, the app's own pages) is fine; anywhere else would hand the bridge to a foreign page.
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    const safe = safeExternalUrl(event.url);
    if (safe) openExternal(safe);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function rememberBounds(win: BrowserWindow, save: (bounds: WindowBounds) => void): void {
  let timer: NodeJS.Timeout | undefined;
  const snapshot = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    // While maximized, keep the normal bounds, so un-maximizing next time restores them.
    const b = win.isMaximized() ? win.getNormalBounds() : win.getBounds();
    save({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(snapshot, SAVE_DELAY_MS);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event as 'resize', later);
  win.on('close', () => {
    clearTimeout(timer);
    snapshot();
  });
}

/** app://roost/…, compared by parts: WHATWG URL gives custom schemes an opaque ("null") origin. */
function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === DESKTOP_ORIGIN;
  } catch {
    return false;
  }
}
