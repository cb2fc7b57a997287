import { describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import type { DeviceKey } from '../../shared/sync/deviceKeys';
import { authFrame as signedAuth, codeExchange, pairSignature } from '../../shared/sync/deviceProofs';
import { fromBase64url, toBase64url } from '../../shared/util/base64url';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { authFrame, pairRequest } from './testing/devicePairing';
import { protocol1Registry } from './testing/protocol1Registry';
import { greetedClient, makeTempDir, pairNewUser, startTestHub } from './testing/testHub';

/**
 * Red team, protocol 2: the new frames' fields and the connection's states around them (PROTOCOL.md 5.3, 6).
 */
const cleanups = cleanupsAfterEach();
const device = { name: 'Probe', platform: 'linux' } as const;

async function hub(dataDir?: string): Promise<Hub> {
  const started = await startTestHub(dataDir ? { dataDir } : {});
  cleanups.push(started.cleanup);
  return started.hub;
}

const greeted = (h: Hub) => greetedClient(h.port, cleanups);

/** The same P-256 key, its point spelled in SEC1's hybrid form (06/07 ‖ X ‖ Y): 91 bytes of SPKI all the same. */
function hybridSpelling(key: DeviceKey): DeviceKey {
  const der = fromBase64url(key.publicKey)!;
  const point = 26;
  der[point] = 0x06 | (der[der.length - 1]! & 1);
  return { publicKey: toBase64url(der), sign: (data) => key.sign(data) };
}

/**
 * Registry writes queued ahead of what comes next (any answered change does it; here, renames), as on a busy hub:
 * two binds sent now both find the token unbound before either is stored.
 */
async function busyRegistry(h: Hub): Promise<void> {
  const busy = await pairNewUser(h, 'Busy');
  cleanups.push(() => busy.client.close());
  const { deviceId } = busy.credentials;
  for (let i = 0; i < 30; i++) busy.client.sendFrame({ type: 'renameDevice', deviceId, name: `n${i}`, rid: `n${i}` });
  await busy.client.next((f) => f.rid === 'n0', 'the first rename stored');
}

describe('device keys on the wire', () => {
  // Fixed (low; parseDevicePublicKey): OpenSSL parses a SubjectPublicKeyInfo whose point is in SEC1 hybrid form
  // (prefix 06 or 07), which has the same length as the uncompressed form, so the schema's 122 characters let it
  // through and the hub stores a second spelling of the key. Appendix D.1 allows the uncompressed form only ("a hub
  // refuses any other spelling"). No security effect found (keys are not compared or shown), but every other value
  // has exactly one spelling. Now parseDevicePublicKey requires the fixed DER header ending in 04 (uncompressed).
  it('refuses a P-256 key whose point is spelled in hybrid form', async () => {
    const h = await hub();
    const client = await greeted(h);
    const { token } = h.createJoinToken();
    const answer = await pairRequest(client, {
      credential: { kind: 'joinToken', token, displayName: 'Hy' },
      device,
      key: hybridSpelling(memoryDeviceKey()),
    });
    expect(answer).toMatchObject({ type: 'error', code: 'DEVICE_KEY_INVALID' });
  });

  it('an exchange left pending cannot be finished once the connection is ready some other way', async () => {
    const h = await hub();
    const ann = await pairNewUser(h, 'Ann');
    cleanups.push(() => ann.client.close());
    const client = await greeted(h);
    const key = memoryDeviceKey();
    const exchange = codeExchange(
      client.welcomed,
      key,
      { kind: 'code', code: h.pairingCode().code, displayName: 'Eve' },
      device,
    );
    const { confirm } = exchange.finish(await client.expect(exchange.start, 'pakeReply'));
    // Ready as Ann's device on this connection; then the pending exchange's finish.
    await client.expect(await authFrame(client, ann.credentials), 'ready');
    const signature = await pairSignature(client.welcomed, key);
    expect(await client.request({ type: 'pakeFinish', confirm, signature })).toMatchObject({
      code: 'ALREADY_AUTHENTICATED',
    });
    expect(h.operator.users().map((u) => u.displayName)).toEqual(['Ann']);
    await client.close();
    await ann.client.expect({ type: 'ping' }, 'pong');
    expect(h.pairingState().wrongGuesses).toBe(1);
  });

  it('frames sent while a key is being bound are refused, not queued: no exchange starts then', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const legacy = await protocol1Registry(temp.dir);
    const h = await hub(temp.dir);
    const client = await greeted(h);
    const key = memoryDeviceKey();
    const bind = await signedAuth(client.welcomed, key, { deviceId: legacy.deviceId, token: legacy.token });
    const { start } = codeExchange(
      client.welcomed,
      key,
      { kind: 'code', code: h.pairingCode().code, displayName: 'Eve' },
      device,
    );
    client.sendFrame({ ...bind, rid: 'bind' });
    client.sendFrame({ ...start, rid: 'start' });
    expect(await client.next((f) => f.rid === 'start', 'the pakeStart answer')).toMatchObject({
      type: 'error',
      code: 'BAD_FRAME',
    });
    expect(await client.next((f) => f.rid === 'bind', 'the auth answer')).toMatchObject({ type: 'ready' });
    expect(h.pairingState().wrongGuesses).toBe(0);
  });

  // Fixed (session.ts bindKey): two connections of one protocol-1 device migrate with the same key (two tabs of a
  // browser share the device's IndexedDB, and webCryptoDeviceKeys.ts makes sure they share one key for exactly this),
  // both finding the token unbound. If the registry's queue of writes is busy (as when every device reconnects to a
  // hub just upgraded to protocol 2), both reach bindDeviceKey; the second finds the key bound and answers
  // AUTH_FAILED ("Authenticate again"), on which a client forgets its credentials and key (6.6): in a browser, the
  // shared row, so every tab of the device must pair again. Now bindKey checks the signature against a key bound
  // meanwhile and lets the connection in if it verifies.
  it('one protocol-1 device binding the same key on two connections at once gets both in', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const legacy = await protocol1Registry(temp.dir);
    const h = await hub(temp.dir);
    const tabs = await Promise.all([greeted(h), greeted(h)]);
    const key = memoryDeviceKey();
    const frames = await Promise.all(
      tabs.map((t) => signedAuth(t.welcomed, key, { deviceId: legacy.deviceId, token: legacy.token })),
    );
    await busyRegistry(h);
    const answers = await Promise.all(tabs.map((t, i) => t.request(frames[i]!)));
    expect(answers.map((a) => (a.type === 'error' ? a.code : a.type))).toEqual(['ready', 'ready']);
  });

  it('a stolen protocol-1 token racing the device to bind: one key is bound, the other refused', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const legacy = await protocol1Registry(temp.dir);
    const h = await hub(temp.dir);
    const [owner, thief] = await Promise.all([greeted(h), greeted(h)]);
    const keys = [memoryDeviceKey(), memoryDeviceKey()];
    const frames = await Promise.all(
      [owner, thief].map((c, i) =>
        signedAuth(c.welcomed, keys[i]!, { deviceId: legacy.deviceId, token: legacy.token }),
      ),
    );
    await busyRegistry(h);
    const answers = await Promise.all([owner.request(frames[0]!), thief.request(frames[1]!)]);
    expect(answers.map((a) => (a.type === 'error' ? a.code : a.type)).sort()).toEqual(['AUTH_FAILED', 'ready']);
    const winner = answers.findIndex((a) => a.type === 'ready');
    // Only the winner's key signs in from now on; the token binds nothing more.
    const later = await greeted(h);
    const loser = { deviceId: legacy.deviceId, key: keys[1 - winner]! };
    expect(await later.request(await authFrame(later, loser))).toMatchObject({ code: 'AUTH_FAILED' });
    expect(await later.request(await authFrame(later, { ...loser, key: keys[winner]! }))).toMatchObject({
      type: 'ready',
    });
  });
});
