/**
 * A stand-in for the `electron` module, for tests of main/electron on machines
 * without the Electron binary: `vi.mock('electron', () => import('./testing/fakeElectron'))`.
 * It records what the app asked for (`fake`) and implements just enough of
 * each API for main.ts to start, serve, answer IPC and quit.
 *
 * Kept to Electron's typings (node_modules/electron/electron.d.ts) by
 * `tsc -p tsconfig.node.json`: every member faked here must exist in Electron,
 * and where the stand-in takes the same arguments it must have Electron's
 * signature (`Fits`). A few take plainer arguments so the tests can call them
 * with plain objects; those are only checked by name (`Named`). An Electron
 * upgrade that renames, removes or changes one of them fails the type check.
 */
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';

/** The members K of Electron's T, with Electron's signatures. */
type Fits<T, K extends keyof T> = Pick<T, K>;
/** Members K that Electron's T has, whatever the stand-in's signature. */
type Named<T, K extends keyof T> = Record<K, unknown>;

type Handler = (event: unknown, ...args: unknown[]) => unknown;
type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export const fake = {
  paths: new Map<string, string>(),
  appPath: '',
  quits: 0,
  exitCode: undefined as number | undefined,
  privileged: [] as unknown[],
  protocolHandlers: new Map<string, ProtocolHandler>(),
  ipc: new Map<string, Handler>(),
  windows: [] as BrowserWindow[],
  trays: [] as Tray[],
  notifications: [] as unknown[],
  /** When set, Notification.show() emits `failed` with this error instead of showing (an unsigned macOS app, say). */
  notificationError: undefined as string | undefined,
  badge: 0,
  /** What setCertificateVerifyProc installed last, and how many times it was installed. */
  certificateVerifyProc: undefined as
    ((request: Electron.Request, callback: (verificationResult: number) => void) => void) | null | undefined,
  certificateVerifyProcInstalls: 0,
  closedAllConnections: 0,
};

export const app = Object.assign(new EventEmitter(), {
  setPath: (name: string, value: string) => void fake.paths.set(name, value),
  getPath: (name: string) => fake.paths.get(name) ?? '',
  getAppPath: () => fake.appPath,
  setAppUserModelId: (_id: string) => {},
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  quit(): void {
    fake.quits++;
    app.emit('before-quit', new FakeEvent());
  },
  exit: (code?: number) => void (fake.exitCode = code),
  setBadgeCount: (count?: number) => {
    fake.badge = count ?? 0;
    return true;
  },
}) satisfies Fits<
  Electron.App,
  | 'setPath'
  | 'getPath'
  | 'getAppPath'
  | 'setAppUserModelId'
  | 'requestSingleInstanceLock'
  | 'whenReady'
  | 'quit'
  | 'exit'
  | 'setBadgeCount'
>;

export class BrowserWindow
  extends EventEmitter
  implements
    Fits<
      Electron.BrowserWindow,
      | 'loadURL'
      | 'maximize'
      | 'show'
      | 'hide'
      | 'focus'
      | 'restore'
      | 'isDestroyed'
      | 'isMinimized'
      | 'isMaximized'
      | 'isVisible'
      | 'isFocused'
      | 'getBounds'
    >,
    Named<Electron.BrowserWindow, 'webContents'>
{
  loaded: string | undefined;
  visible = false;
  readonly webContents = Object.assign(new EventEmitter(), {
    mainFrame: { url: '' },
    sent: [] as unknown[][],
    setWindowOpenHandler: () => {},
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    },
  }) satisfies Named<Electron.WebContents, 'mainFrame' | 'setWindowOpenHandler' | 'send'>;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    fake.windows.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
    this.webContents.mainFrame.url = url;
  }
  maximize(): void {}
  show(): void {
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {}
  restore(): void {}
  isDestroyed = () => false;
  isMinimized = () => false;
  isMaximized = () => false;
  isVisible = () => this.visible;
  isFocused = () => this.visible;
  getBounds = () => ({ x: 0, y: 0, width: 800, height: 600 });
}

export class Notification extends EventEmitter implements Fits<Electron.Notification, 'show'> {
  static isSupported: typeof Electron.Notification.isSupported = () => true;
  constructor(readonly options: Electron.NotificationConstructorOptions) {
    super();
  }
  show(): void {
    // Electron reports a notification the system refused with `failed` (event, error), after show() returns.
    const error = fake.notificationError;
    if (error !== undefined) queueMicrotask(() => this.emit('failed', new FakeEvent(), error));
    else fake.notifications.push(this.options);
  }
}

type MenuItem = { label?: string; type?: string; checked?: boolean; click?: (item: { checked: boolean }) => void };

export class Tray
  extends EventEmitter
  implements Fits<Electron.Tray, 'setToolTip' | 'setTitle' | 'destroy'>, Named<Electron.Tray, 'setContextMenu'>
{
  tooltip = '';
  menu: MenuItem[] = [];
  constructor() {
    super();
    fake.trays.push(this);
  }
  /** Menu.buildFromTemplate below hands back the template itself, so the tests can click its items. */
  setContextMenu(menu: MenuItem[]): void {
    this.menu = menu;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setTitle(): void {}
  destroy(): void {}
}

const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
export const screen = {
  getAllDisplays: () => [{ workArea }],
  getPrimaryDisplay: () => ({ workArea }),
} satisfies Named<Electron.Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
export const Menu = {
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu: () => {},
} satisfies Fits<typeof Electron.Menu, 'setApplicationMenu'> & Named<typeof Electron.Menu, 'buildFromTemplate'>;
export const nativeImage = {
  createEmpty: () => ({}),
  createFromPath: () => ({ setTemplateImage: () => {} }),
} satisfies Named<typeof Electron.nativeImage, 'createEmpty' | 'createFromPath'>;
export const protocol = {
  registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => void fake.privileged.push(...schemes),
  handle: (scheme: string, handler: ProtocolHandler) => void fake.protocolHandlers.set(scheme, handler),
} satisfies Fits<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
    setCertificateVerifyProc: (proc: Parameters<Electron.Session['setCertificateVerifyProc']>[0]) => {
      fake.certificateVerifyProc = proc;
      fake.certificateVerifyProcInstalls++;
    },
    closeAllConnections: async () => {
      fake.closedAllConnections++;
    },
  } satisfies Fits<
    Electron.Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setCertificateVerifyProc' | 'closeAllConnections'
  >,
} satisfies Named<typeof Electron.session, 'defaultSession'>;
export const ipcMain = {
  handle: (channel: string, handler: Handler) => void fake.ipc.set(channel, handler),
} satisfies Named<Electron.IpcMain, 'handle'>;
export const shell = { openExternal: async () => {} } satisfies Fits<Electron.Shell, 'openExternal'>;
