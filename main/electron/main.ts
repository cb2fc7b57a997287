/**
 * The desktop app's entry (bundled into dist/main/main.cjs). Only wiring: all
 * behaviour lives in main/desktop (plain Node, tested without Electron); the
 * files here adapt it to Electron's window, tray, notifications and IPC.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, protocol, session } from 'electron';
import { DESKTOP_ORIGIN, DESKTOP_SCHEME } from '../../shared/desktop';
import { browseHubs } from '../discovery/browse';
import { serveAppRequest } from '../desktop/appProtocol';
import { DesktopServices } from '../desktop/DesktopServices';
import { deviceIdentity } from '../desktop/deviceIdentity';
import { isPermissionAllowed } from '../desktop/permissionPolicy';
import { installE2eProbe } from './e2eProbe';
import { forwardBridgeEvents, registerBridgeIpc } from './ipc';
import { installHubPinCheck } from './pinCheck';
import { installAppMenu } from './menu';
import { createElectronShell } from './shell';
import { createTray, type AppTray } from './tray';
import { createMainWindow } from './window';

// Tests run several instances side by side, each with its own profile (and so its own single-instance lock).
// app.setPath throws when the folder does not exist yet (electron.d.ts, app.setPath), so create it first.
const userDataOverride = process.env.ROOST_USER_DATA;
if (userDataOverride) {
  const dir = path.resolve(userDataOverride);
  // Private like the folder Electron makes itself: it holds the settings, the hosted hub's data and the session.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  app.setPath('userData', dir);
}

// Windows shows (and lets people click) a notification only when the process's AppUserModelID matches the
// one on the Start menu shortcut, which electron-builder sets to the appId (electron-builder.yml).
if (process.platform === 'win32') app.setAppUserModelId('app.roost.desktop');

// Must happen before `ready`.
// Standard + secure gives app://roost a real origin (storage, relative URLs, a secure context).
protocol.registerSchemesAsPrivileged([
  { scheme: DESKTOP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const e2e = installE2eProbe(process.env);
let window: BrowserWindow | undefined;
let tray: AppTray | undefined;
let services: DesktopServices | undefined;
/** Set while DesktopServices.open runs: a quit meanwhile must wait for it, then stop what it started. */
let opening: Promise<DesktopServices> | undefined;
let quitting = false;
let closed = false;

const shell = createElectronShell({ window: () => window, tray: () => tray, e2e });

if (!app.requestSingleInstanceLock()) {
  // Another Roost runs with this profile: it shows its window (second-instance below) and this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => shell.showWindow());
  app.on('activate', () => shell.showWindow());
  // The window only hides; with the tray the app lives on until Quit.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    quitting = true;
    const running = services ?? opening;
    if (closed || !running) return;
    // Stop the hub first: mDNS goodbye, messages flushed, data folder released.
    event.preventDefault();
    void Promise.resolve(running)
      .then((s) => s.close())
      .catch((err: unknown) =>
        console.error(`roost: the services did not stop cleanly: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const appRoot = app.getAppPath();
  const webRoot = path.join(appRoot, 'dist', 'renderer');
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  protocol.handle(DESKTOP_SCHEME, async (request) => {
    const res = await serveAppRequest(webRoot, request);
    return new Response(res.body, { status: res.status, headers: res.headers });
  });

  opening = DesktopServices.open({
    userDataDir: app.getPath('userData'),
    device: deviceIdentity(hostname(), process.platform),
    webRoot,
    shell,
    discovery: (callbacks) => browseHubs(callbacks),
  });
  services = await opening;
  opening = undefined;
  // Quit was chosen while the services started: before-quit is stopping them; build no window.
  if (quitting) return;
  const ready = services;
  // Before the window exists: the renderer's first connection to the joined hub is already pin-checked.
  installHubPinCheck(ses, ready);
  registerBridgeIpc(ready.handlers, () => window);

  const quit = () => app.quit();
  tray = createTray({
    iconDir: path.join(appRoot, 'dist', 'main'),
    muted: ready.getMuted(),
    onShow: () => shell.showWindow(),
    onMutedChange: (muted) => void ready.setMuted(muted),
    onQuit: quit,
  });
  const appTray = tray;
  ready.on('muted', (muted) => appTray.setMuted(muted));
  installAppMenu({ onQuit: quit, onHide: () => window?.hide() });
  window = createMainWindow({
    preload: path.join(appRoot, 'dist', 'main', 'preload.cjs'),
    saved: ready.savedWindowBounds(),
    saveBounds: (bounds) => void ready.saveWindowBounds(bounds),
    isQuitting: () => quitting,
    openExternal: (url) => void ready.openExternal(url),
  });
  shell.watchWindow(window);
  // Windows ends the session without before-quit: let the window close instead of hiding, or it holds up the logout.
  window.on('session-end', () => {
    quitting = true;
  });
  forwardBridgeEvents(ready, () => window);
  if (e2e) e2e.trayTooltip = tray.tooltip();
  await window.loadURL(`${DESKTOP_ORIGIN}/`);
}

function fail(err: unknown): void {
  console.error(`roost: the desktop app could not start: ${err instanceof Error ? err.message : String(err)}`);
  app.exit(1);
}
