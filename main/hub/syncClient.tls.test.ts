import { rename } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloseCode, WS_PATH } from '../../shared/protocol';
import { MemoryStorage } from '../../shared/sync/MemoryStorage';
import { Hub } from './Hub';
import { IDENTITY_KEY_FILE } from './identity/identityKey';
import { pinnedWsTransport } from './identity/pinnedWsTransport';
import { cleanupsAfterEach } from './testing/cleanups';
import { isReady, makeSyncDevice, pairSyncUser, waitFor, type SyncDevice } from './testing/syncDevices';
import { makeTempDir, quietLogger } from './testing/testHub';
import { startTlsRelay } from './testing/tlsRelay';
import { wsTransport } from './testing/wsTransport';

const cleanups = cleanupsAfterEach();

async function startHub(dataDir: string, port = 0): Promise<Hub> {
  const hub = await Hub.start({ port, host: '127.0.0.1', logger: quietLogger, dataDir });
  hub.openPairing();
  return hub;
}

async function freshHub(): Promise<{ hub: Hub; dataDir: string }> {
  const temp = await makeTempDir();
  cleanups.push(temp.remove);
  const hub = await startHub(temp.dir);
  cleanups.push(() => hub.stop());
  return { hub, dataDir: temp.dir };
}

const wss = (port: number) => `wss://127.0.0.1:${port}${WS_PATH}`;

/** A sync client as a native app runs it: over WSS, pinned to `pin`. */
function pinnedDevice(hub: Hub, name: string, port: number, pin: string, storage = new MemoryStorage()): SyncDevice {
  const device = makeSyncDevice(hub, name, { storage, transport: wsTransport(wss(port), { pin }) });
  cleanups.push(() => device.client.stop());
  return device;
}

async function pairPinned(hub: Hub, name: string, storage?: MemoryStorage): Promise<SyncDevice> {
  const device = pinnedDevice(hub, name, hub.port, hub.identity, storage);
  await device.client.start();
  await waitFor(device, (s) => s.status === 'connected' && s.session.phase === 'unpaired', `${name} greeted`);
  await device.client.pair({ kind: 'code', code: hub.pairingCode().code, displayName: name });
  await waitFor(device, isReady, `${name} ready`);
  return device;
}

describe('the sync client over TLS, pinned to the hub', () => {
  it('pairs, sends and receives over WSS when the hub proves the pinned identity', async () => {
    const { hub } = await freshHub();
    const ann = await pairPinned(hub, 'Ann');
    const bob = await pairSyncUser(hub, 'Bob');
    cleanups.push(() => bob.client.stop());
    await ann.client.send('general', 'over TLS');
    await waitFor(
      bob,
      (s) => s.conversations.general?.timeline.messages.some((m) => m.text === 'over TLS'),
      'the message',
    );
  });

  it('refuses a relay in the middle for good: identityRefused HUB_IDENTITY_UNPROVEN, nothing sent', async () => {
    const { hub } = await freshHub();
    const relay = await startTlsRelay(hub.port);
    cleanups.push(() => relay.stop());
    const device = pinnedDevice(hub, 'Victim', relay.port, hub.identity);
    await device.client.start();
    const session = await waitFor(device, (s) => s.session.phase === 'identityRefused' && s.session, 'refusal');
    expect(session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_UNPROVEN' });
    expect(device.state().status).toBe('offline');
    expect(hub.connectedDevices()).toEqual([]);
  });

  it('stops a paired device when the hub comes back with another identity, keeping its account to decide', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    let hub = await startHub(temp.dir);
    const port = hub.port;
    const storage = new MemoryStorage();
    const ann = await pairPinned(hub, 'Ann', storage);
    const { publicKey } = await storage.deviceKeys.load();
    await ann.client.stop();
    await hub.stop();
    await rename(path.join(temp.dir, IDENTITY_KEY_FILE), path.join(temp.dir, 'old-key.pem'));
    hub = await startHub(temp.dir, port);
    cleanups.push(() => hub.stop());
    const again = pinnedDevice(hub, 'Ann again', port, ann.state().hub!.identity!, storage);
    await again.client.start();
    const session = await waitFor(again, (s) => s.session.phase === 'identityRefused' && s.session, 'refusal');
    expect(session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_CHANGED' });
    expect((await storage.loadCredentials())?.deviceId).toBeDefined();
    // The account is its credentials and its key: with either gone, re-pinning could not sign in again.
    expect((await storage.deviceKeys.load()).publicKey).toBe(publicKey);
  });

  it('will not talk unencrypted to a LAN hub it knows by identity, and does not try', async () => {
    const closes: Array<[number, string]> = [];
    let opened = false;
    await new Promise<void>((resolve) => {
      pinnedWsTransport(`ws://192.0.2.1:7420${WS_PATH}`, { pin: 'A'.repeat(52) }).connect({
        open: () => (opened = true),
        message: () => {},
        close: (code, reason) => {
          closes.push([code, reason]);
          resolve();
        },
      });
    });
    expect(opened).toBe(false);
    expect(closes).toEqual([[CloseCode.HUB_IDENTITY_REFUSED, 'HUB_IDENTITY_UNPROVEN']]);
  });
});
