/**
 * A stand-in for the `electron` module, for tests of main/electron on machines
 * without the Electron binary: `vi.mock('electron', () => import('./testing/fakeElectron'))`.
 * It records what the app asked for (`fake`) and implements just enough of
 * each API for main.ts to start, serve, answer IPC and quit.
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
type ProtocolHandler = (request: { url: string; method: string }) => Promise<Response>;

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
  badge: 0,
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
  exit: (code: number) => void (fake.exitCode = code),
  setBadgeCount: (count: number) => {
    fake.badge = count;
    return true;
  },
});

export class BrowserWindow extends EventEmitter {
  loaded: string | undefined;
  visible = false;
  readonly webContents = Object.assign(new EventEmitter(), {
    mainFrame: { url: '' },
    sent: [] as unknown[][],
    setWindowOpenHandler: () => {},
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    },
  });
  constructor(readonly options: unknown) {
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

export class Notification extends EventEmitter {
  static isSupported = () => true;
  constructor(readonly options: unknown) {
    super();
  }
  show(): void {
    fake.notifications.push(this.options);
  }
}

type MenuItem = { label?: string; type?: string; checked?: boolean; click?: (item: { checked: boolean }) => void };

export class Tray extends EventEmitter {
  tooltip = '';
  menu: MenuItem[] = [];
  constructor() {
    super();
    fake.trays.push(this);
  }
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
export const screen = { getAllDisplays: () => [{ workArea }], getPrimaryDisplay: () => ({ workArea }) };
export const Menu = { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => {} };
export const nativeImage = { createEmpty: () => ({}), createFromPath: () => ({ setTemplateImage: () => {} }) };
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => void fake.privileged.push(...schemes),
  handle: (scheme: string, handler: ProtocolHandler) => void fake.protocolHandlers.set(scheme, handler),
};
export const session = {
  defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} },
};
export const ipcMain = { handle: (channel: string, handler: Handler) => void fake.ipc.set(channel, handler) };
export const shell = { openExternal: async () => {} };
