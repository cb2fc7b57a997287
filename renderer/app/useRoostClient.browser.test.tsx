import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderHook } from 'vitest-browser-react';
import { RoostClient, type DeviceDescription } from '../../shared/sync';
import type { HubAddress } from '../hub/hubAddress';
import { useRoostClient } from './useRoostClient';

/**
 * The hook with the real browser client: real WebSocket, real IndexedDB. No hub answers: the addresses are
 * under `.invalid`, a name that never resolves (RFC 2606), so a started client keeps trying
 * ('connecting', then 'reconnecting') and a stopped one is 'offline'. Which URL it dials is noted by a
 * WebSocket subclass put in place of the global one; it dials as usual.
 */

const LAPTOP: DeviceDescription = { name: 'Test laptop', platform: 'linux' };

/** An address of its own for each test, so no test sees another's database or sockets. */
function testAddress(name: string): HubAddress {
  const host = `${name}-${crypto.randomUUID().slice(0, 8)}.invalid:7420`;
  return { wsUrl: `ws://${host}/ws`, label: host, servedByHub: false, databaseName: `roost@${host}` };
}

/** Every WebSocket URL the page has dialled since the file started. */
const dialled: string[] = [];
const BrowserWebSocket = globalThis.WebSocket;

class NotingWebSocket extends BrowserWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    dialled.push(String(url));
  }
}

beforeAll(() => {
  globalThis.WebSocket = NotingWebSocket;
});

afterAll(() => {
  globalThis.WebSocket = BrowserWebSocket;
});

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).flatMap((d) => (d.name === undefined ? [] : [d.name]));
}

type Props = { address: HubAddress; device: DeviceDescription };

async function renderClient(initialProps: Props) {
  const hook = await renderHook((props?: Props) => useRoostClient(props!.address, props!.device), { initialProps });
  await expect.poll(() => hook.result.current).toBeDefined();
  return { ...hook, first: hook.result.current!.client };
}

describe('useRoostClient', () => {
  test('creates and starts a client for the address, exposes it, and stops it on unmount', async () => {
    const address = testAddress('hub-a');
    const { result, first, unmount } = await renderClient({ address, device: LAPTOP });

    expect(first).toBeInstanceOf(RoostClient);
    expect(result.current!.persistent).toBe(true);
    expect(first.getState().status).not.toBe('offline');
    await expect.poll(() => dialled).toContain(address.wsUrl);
    expect(await databaseNames()).toContain(address.databaseName);

    await unmount();

    expect(first.getState().status).toBe('offline');
  });

  test.each([
    { change: 'another hub', next: () => testAddress('hub-b') },
    // Same host, so the same database (parseHubAddress names it after the host); only the URL differs.
    { change: 'the same hub over wss', next: (a: HubAddress) => ({ ...a, wsUrl: a.wsUrl.replace('ws:', 'wss:') }) },
  ])('makes a new client when the address changes ($change), and stops the old one', async ({ next }) => {
    const a = testAddress('hub-a');
    const b = next(a);
    const { result, first, rerender } = await renderClient({ address: a, device: LAPTOP });

    await rerender({ address: b, device: LAPTOP });

    await expect.poll(() => result.current?.client).toBeDefined();
    const second = result.current!.client;
    expect(second).not.toBe(first);
    expect(first.getState().status).toBe('offline');
    expect(second.getState().status).not.toBe('offline');
    await expect.poll(() => dialled).toContain(b.wsUrl);
    expect(await databaseNames()).toContain(b.databaseName);
  });

  test('keeps the same client when only the device description changes', async () => {
    const address = testAddress('hub-a');
    const { result, first, rerender } = await renderClient({ address, device: LAPTOP });

    await rerender({ address, device: { name: 'Renamed laptop', platform: 'linux' } });

    // A client remade for the new description would show here at once: the old one stopped, none or another exposed.
    expect(result.current?.client).toBe(first);
    expect(first.getState().status).not.toBe('offline');
  });
});
