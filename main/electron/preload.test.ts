/** The preload against a stand-in for Electron: what the page gets as window.roostDesktop, and nothing more. */
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_METHOD_NAMES, type DesktopBridge } from '../../shared/desktop';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push([channel, ...args]);
      return 'answer';
    },
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(fn);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, fn: (event: unknown, payload: unknown) => void) =>
      listeners.get(channel)?.delete(fn),
  },
}));

await import('./preload');
const bridge = exposed.get('roostDesktop') as DesktopBridge;

describe('preload', () => {
  it('exposes one method per bridge operation plus on(), and no IPC object', () => {
    expect([...exposed.keys()]).toEqual(['roostDesktop']);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_METHOD_NAMES, 'on'].sort());
  });

  it('each method invokes its own channel with its arguments', async () => {
    expect(await bridge.startHosting({ name: 'Hub', port: 0 })).toBe('answer');
    expect(invoked).toEqual([['roost:startHosting', { name: 'Hub', port: 0 }]]);
  });

  it('on() delivers the payload without the IPC event, and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.on('openConversation', (id) => got.push(id));
    for (const fn of listeners.get('roost:event:openConversation') ?? []) fn({ sender: 'ipc internals' }, 'general');
    off();
    expect(listeners.get('roost:event:openConversation')?.size).toBe(0);
    expect(got).toEqual(['general']);
  });

  it('refuses events outside the table', () => {
    expect(() => bridge.on('evil' as 'openConversation', () => {})).toThrow(/unknown event/);
    expect(listeners.has('roost:event:evil')).toBe(false);
  });
});
