/**
 * The IPC wiring against a stand-in for Electron (no binary exists here): every
 * channel of the bridge is handled, and the sender check and argument parsing
 * run before any handler.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_METHOD_NAMES, bridgeChannel, type BridgeHandlers } from '../../shared/desktop';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
  },
}));

const { registerBridgeIpc } = await import('./ipc');

const mainFrame = { url: 'app://roost/index.html' };
const webContents = { mainFrame };
const win = { webContents, isDestroyed: () => false };

function eventFrom(frame: { url: string } | null, sender: unknown = webContents) {
  return { senderFrame: frame, sender };
}

const calls: unknown[][] = [];
const services = {
  setUnreadCount: (n: number) => void calls.push(['setUnreadCount', n]),
  hostingStatus: () => ({ state: 'off' }),
} as unknown as BridgeHandlers;

beforeEach(() => {
  handlers.clear();
  calls.length = 0;
  registerBridgeIpc(services, () => win as never);
});

describe('registerBridgeIpc', () => {
  it('handles exactly the bridge’s channels', () => {
    expect([...handlers.keys()].sort()).toEqual(BRIDGE_METHOD_NAMES.map(bridgeChannel).sort());
  });

  it('runs the handler for our own page with parsed arguments', async () => {
    await handlers.get('roost:setUnreadCount')!(eventFrom(mainFrame), 4);
    expect(calls).toEqual([['setUnreadCount', 4]]);
    expect(await handlers.get('roost:hostingStatus')!(eventFrom(mainFrame))).toEqual({ state: 'off' });
  });

  it('refuses iframes, other pages, other windows and destroyed frames before any handler runs', async () => {
    const call = (event: unknown) => Promise.resolve().then(() => handlers.get('roost:setUnreadCount')!(event, 1));
    await expect(call(eventFrom({ url: 'app://roost/index.html' }))).rejects.toThrow(/^UNTRUSTED_SENDER/);
    await expect(call(eventFrom({ ...mainFrame, url: 'https://evil.example/' }))).rejects.toThrow(/^UNTRUSTED_SENDER/);
    await expect(call(eventFrom(mainFrame, { mainFrame }))).rejects.toThrow(/^UNTRUSTED_SENDER/);
    await expect(call(eventFrom(null))).rejects.toThrow(/^UNTRUSTED_SENDER/);
    expect(calls).toEqual([]);
  });

  it('refuses a navigated-away main frame', async () => {
    mainFrame.url = 'https://evil.example/';
    try {
      await expect(
        Promise.resolve().then(() => handlers.get('roost:setUnreadCount')!(eventFrom(mainFrame), 1)),
      ).rejects.toThrow(/^UNTRUSTED_SENDER/);
    } finally {
      mainFrame.url = 'app://roost/index.html';
    }
  });

  it('refuses bad arguments with BAD_ARGUMENTS', async () => {
    await expect(handlers.get('roost:setUnreadCount')!(eventFrom(mainFrame), 'many')).rejects.toThrow(
      /^BAD_ARGUMENTS: setUnreadCount/,
    );
    expect(calls).toEqual([]);
  });
});
