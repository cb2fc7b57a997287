import { describe, expect, it } from 'vitest';
import { authProofText } from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { authFrame as signedAuthFrame } from '../../shared/sync/deviceProofs';
import { parseDevicePublicKey, verifiesDeviceSignature } from './deviceKey';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { authFrame, authRequest } from './testing/devicePairing';
import { TestClient, type Credentials } from './testing/TestClient';
import { greetedClient, pairLinkedDevice, pairNewUser, reconnect, startTestHub } from './testing/testHub';

/**
 * What `auth` proves under protocol 2 (PROTOCOL.md 6.6): a signature by the device's own key over this
 * connection's challenge. A removed device, a signature recorded on another connection, and a signature by any
 * other key are all refused with AUTH_FAILED.
 */

const cleanups = cleanupsAfterEach();

async function hub(): Promise<Hub> {
  const started = await startTestHub();
  cleanups.push(started.cleanup);
  return started.hub;
}

const greeted = (port: number) => greetedClient(port, cleanups);

/** Whether the frame's signature is the device's own over this connection's challenge: a valid proof. */
function provesKey(client: TestClient, credentials: Credentials, signature: string): boolean {
  const proof = authProofText(client.welcome!.hub.identity, client.welcome!.challenge, credentials.deviceId);
  return verifiesDeviceSignature(parseDevicePublicKey(credentials.key.publicKey), proof, signature);
}

describe('auth with device keys', () => {
  it("refuses a removed device's key, even with a valid signature over the connection's challenge", async () => {
    const h = await hub();
    const laptop = await pairNewUser(h, 'Alice');
    cleanups.push(() => laptop.client.close());
    const phone = await pairLinkedDevice(h, laptop.client, 'Alice phone');
    // Signed before the removal, for the connection it is then sent on: nothing but the removal is wrong with it.
    const waiting = await greeted(h.port);
    const frame = await authFrame(waiting, phone.credentials);
    expect(provesKey(waiting, phone.credentials, frame.signature)).toBe(true);

    await laptop.client.expect({ type: 'removeDevice', deviceId: phone.credentials.deviceId }, 'ok');
    await phone.client.waitClosed();
    expect(await waiting.request(frame)).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect(await authRequest(await greeted(h.port), phone.credentials)).toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('refuses an auth frame recorded on one connection and replayed on another: the challenge differs', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    cleanups.push(() => alice.client.close());
    const first = await greeted(h.port);
    const recorded = await authFrame(first, alice.credentials);
    await first.expect(recorded, 'ready');

    const second = await greeted(h.port);
    expect(await second.request(recorded)).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect(second.welcome!.challenge).not.toBe(first.welcome!.challenge);
    // Only the replay was wrong: the same device, signing this connection's challenge, gets in.
    const third = await reconnect(h.port, alice.credentials);
    cleanups.push(() => third.client.close());
    expect(third.ready.self.deviceId).toBe(alice.credentials.deviceId);
  });

  it('refuses a signature over the right challenge by any key but the device’s own', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const bob = await pairNewUser(h, 'Bob');
    for (const d of [alice, bob]) cleanups.push(() => d.client.close());
    const stranger = memoryDeviceKey();

    for (const key of [stranger, bob.credentials.key]) {
      const client = await greeted(h.port);
      const frame = await authFrame(client, { deviceId: alice.credentials.deviceId, key });
      // Right device, right challenge, right hub: only the key is not Alice's.
      expect(provesKey(client, { ...alice.credentials, key }, frame.signature)).toBe(true);
      expect(await client.request(frame)).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    }
    // A keyed device binds no new key: `migrate` (protocol 1's token and a key) is ignored for it.
    const client = await greeted(h.port);
    const welcomed = client.welcomed;
    const migrating = await signedAuthFrame(welcomed, stranger, { deviceId: alice.credentials.deviceId, token: 'x' });
    expect(migrating.migrate?.publicKey).toBe(stranger.publicKey);
    expect(await client.request(migrating)).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });

    const stillAlice = await reconnect(h.port, alice.credentials);
    cleanups.push(() => stillAlice.client.close());
    expect(stillAlice.ready.self.deviceId).toBe(alice.credentials.deviceId);
  });
});
