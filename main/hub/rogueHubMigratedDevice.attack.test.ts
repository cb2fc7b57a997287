import { describe, expect, it } from 'vitest';
import { WS_PATH } from '../../shared/protocol';
import { MemoryStorage } from '../../shared/sync/MemoryStorage';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { protocol1Registry } from './testing/protocol1Registry';
import { startRogueHub } from './testing/rogueHub';
import { isReady, makeSyncDevice, waitFor, type SyncDevice } from './testing/syncDevices';
import { makeTempDir, startTestHub } from './testing/testHub';
import { wsTransport } from './testing/wsTransport';

/**
 * Red team, protocol 2: the sync client signs only for the hub identity stored at pairing (HUB_IDENTITY_CHANGED
 * otherwise, credentials kept). A device paired under protocol 1 has no stored identity; it binds a key once (6.7).
 * A rogue hub on the LAN proves its own identity in TLS, claims the real hub's id (public: /api/info) in `welcome`,
 * and relays every frame to the real hub, which answers the device's signature for the rogue's identity with
 * AUTH_FAILED: on AUTH_FAILED the client forgets its credentials and its key (6.6).
 */
const cleanups = cleanupsAfterEach();

/** A hub whose registry a protocol-1 hub left, and the protocol-1 device's stored credentials for it. */
async function protocol1Hub(): Promise<{ hub: Hub; storage: MemoryStorage }> {
  const temp = await makeTempDir();
  cleanups.push(temp.remove);
  const legacy = await protocol1Registry(temp.dir);
  const started = await startTestHub({ dataDir: temp.dir });
  cleanups.push(started.cleanup);
  const { hub } = started;
  const storage = new MemoryStorage();
  await storage.saveCredentials({
    hubId: hub.info().id,
    userId: legacy.userId,
    deviceId: legacy.deviceId,
    token: legacy.token,
  });
  return { hub, storage };
}

/** A native client reaching `port` over TLS with nothing pinned: it trusts the identity proven on first use. */
function deviceAt(hub: Hub, port: number, storage: MemoryStorage): SyncDevice {
  const device = makeSyncDevice(hub, 'Old laptop', {
    storage,
    transport: wsTransport(`wss://127.0.0.1:${port}${WS_PATH}`),
  });
  cleanups.push(() => device.client.stop());
  return device;
}

describe('a device paired under protocol 1, after it bound its key', () => {
  // Fixed (ClientCore.sessionReady): binding the key drops the protocol-1 token from the stored credentials but
  // never stores the identity of the hub it bound with, so the device stays without one for good, unlike every device
  // paired under protocol 2. A rogue hub claiming the real hub's id then gets a signature (for its own identity,
  // worthless) and relays the real hub's AUTH_FAILED, on which the client forgets its credentials and its key: the
  // rogue unpairs the device, which must pair again. Now the client stores the identity its key was proven to at
  // its first `ready` (DeviceAuth.keyedCredentials).
  it('refuses a rogue hub that claims its hub id, and keeps its credentials', async () => {
    const { hub, storage } = await protocol1Hub();
    const migrated = deviceAt(hub, hub.port, storage);
    await migrated.client.start();
    await waitFor(migrated, isReady, 'the key bound and the session ready');
    await migrated.client.stop();
    expect(await storage.loadCredentials()).not.toHaveProperty('token');

    const evil = await startRogueHub(hub.port, 'own');
    cleanups.push(() => evil.stop());
    const lured = deviceAt(hub, evil.port, storage);
    await lured.client.start();
    const session = await waitFor(
      lured,
      (s) => (s.session.phase === 'identityRefused' || s.session.phase === 'unpaired') && s.session,
      'the device refusing the rogue, or unpaired by it',
    );
    expect(session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_CHANGED' });
    expect(evil.fromDevice.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual(['hello']);
    expect(await storage.loadCredentials()).toBeDefined();
  });
});
