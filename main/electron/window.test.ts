/** The window's security settings and behaviour, against a stand-in for Electron (no binary exists here). */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

type OpenHandler = (details: { url: string }) => { action: string };

class FakeContents extends EventEmitter {
  openHandler: OpenHandler | undefined;
  setWindowOpenHandler(handler: OpenHandler) {
    this.openHandler = handler;
  }
}

class FakeWindow extends EventEmitter {
  static last: FakeWindow;
  readonly webContents = new FakeContents();
  hidden = false;
  calls: string[] = [];
  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    FakeWindow.last = this;
  }
  maximize() {
    this.calls.push('maximize');
  }
  show() {
    this.calls.push('show');
  }
  hide() {
    this.hidden = true;
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  isMaximized = () => false;
  getBounds = () => ({ x: 1, y: 2, width: 800, height: 600 });
}

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  screen: {
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  },
}));

const { createMainWindow } = await import('./window');

function open(quitting = false) {
  const opened: string[] = [];
  createMainWindow({
    preload: '/app/dist/main/preload.cjs',
    saved: undefined,
    saveBounds: () => {},
    isQuitting: () => quitting,
    openExternal: (u) => opened.push(u),
  });
  return { win: FakeWindow.last, opened };
}

function navigationEvent(url: string, isMainFrame = true) {
  return {
    url,
    isMainFrame,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

describe('createMainWindow', () => {
  it('locks the renderer down', () => {
    const { win } = open();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('denies every new window and sends only http(s) links to the browser', () => {
    const { win, opened } = open();
    expect(win.webContents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(win.webContents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(win.webContents.openHandler!({ url: 'app://roost/other' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/']);
  });

  it('prevents every navigation away from the app, and subframe navigations', () => {
    const { win, opened } = open();
    for (const url of ['https://evil.example/', 'app://roostx/', 'app://evil/', 'file:///tmp/x', 'not a url']) {
      const event = navigationEvent(url);
      win.webContents.emit('will-navigate', event);
      expect(event.prevented).toBe(true);
    }
    // A reload (the Reload button on the "update needed" screen) stays within the app.
    const reload = navigationEvent('app://roost/index.html');
    win.webContents.emit('will-navigate', reload);
    expect(reload.prevented).toBe(false);
    expect(opened).toEqual(['https://evil.example/']);
    const frame = navigationEvent('https://ads.example/', false);
    win.webContents.emit('will-frame-navigate', frame);
    expect(frame.prevented).toBe(true);
  });

  it('maximizes a window saved maximized only once it is ready to show (maximize() would show it blank)', () => {
    createMainWindow({
      preload: '/app/dist/main/preload.cjs',
      saved: { x: 10, y: 10, width: 800, height: 600, maximized: true },
      saveBounds: () => {},
      isQuitting: () => false,
      openExternal: () => {},
    });
    const win = FakeWindow.last;
    expect(win.calls).toEqual([]);
    win.emit('ready-to-show');
    expect(win.calls).toEqual(['maximize', 'show']);
  });

  it('closing hides to the tray, unless the app is quitting', () => {
    const hidden = open(false);
    const close = navigationEvent('');
    hidden.win.emit('close', close);
    expect(close.prevented).toBe(true);
    expect(hidden.win.hidden).toBe(true);

    const quitting = open(true);
    const really = navigationEvent('');
    quitting.win.emit('close', really);
    expect(really.prevented).toBe(false);
  });
});
