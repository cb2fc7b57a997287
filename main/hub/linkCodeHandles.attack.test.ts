import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINK_CODE_HANDLE_LENGTH, type ServerFrame } from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { codeExchange } from '../../shared/sync/deviceProofs';
import type { Hub } from './Hub';
import { freshRegistry } from './registry/registryFile';
import type { RegistryFile } from './registry/registrySchema';
import { newId } from './secrets';
import { cleanupsAfterEach } from './testing/cleanups';
import { authFrame, pairRequest } from './testing/devicePairing';
import { TestClient, type Credentials } from './testing/TestClient';
import { greetedClient, makeTempDir, pairNewUser, startTestHub } from './testing/testHub';

/**
 * Red team, protocol 2: link codes are found by a 2-character handle (appendix D.4). There are 30² = 900 handles,
 * unique among live codes; when all are taken, a new code drops the oldest live code anywhere. A device keeps at
 * most 3 live codes, but a user may have any number of devices (each link code a member makes pairs one more).
 */
const cleanups = cleanupsAfterEach();
const HANDLES = 30 ** LINK_CODE_HANDLE_LENGTH;
const device = { name: 'Phone', platform: 'web' } as const;

/** A hub whose registry already holds one user with `count` devices, as a member who paired them over time has. */
async function hubWithManyDevices(count: number): Promise<{ hub: Hub; member: Credentials[] }> {
  const temp = await makeTempDir();
  cleanups.push(temp.remove);
  const now = Date.now();
  const userId = newId();
  const member = Array.from({ length: count }, () => ({ deviceId: newId(), userId, key: memoryDeviceKey() }));
  const registry: RegistryFile = {
    ...freshRegistry('Roost', now),
    users: [{ id: userId, displayName: 'Mallory', createdAt: now }],
    devices: member.map((d, i) => ({
      id: d.deviceId,
      userId,
      name: `Mallory ${i}`,
      platform: 'linux',
      publicKey: d.key.publicKey,
      pairedAt: now,
      lastSeenAt: now,
    })),
  };
  await writeFile(path.join(temp.dir, 'registry.json'), JSON.stringify(registry), { mode: 0o600 });
  const started = await startTestHub({ dataDir: temp.dir });
  cleanups.push(started.cleanup);
  return { hub: started.hub, member };
}

/**
 * Each device in turn signs in, makes `each` link codes and leaves: one connection at a time, since every device
 * that comes online sends the whole device list to the user's other online devices.
 */
async function createCodes(hub: Hub, devices: Credentials[], each: number): Promise<void> {
  for (const credentials of devices) {
    const client = await TestClient.connect(hub.port);
    await client.hello();
    await client.expect(await authFrame(client, credentials), 'ready');
    for (let i = 0; i < each; i++) await client.expect({ type: 'createLinkCode' }, 'linkCode');
    await client.close();
  }
}

const greeted = (hub: Hub, localAddress?: string) => greetedClient(hub.port, cleanups, localAddress);

describe('link-code handles', () => {
  // Fixed (LinkCodes.create, and no cap on a user's devices): the 3-codes limit is per device, and a member may
  // pair any number of devices with their own link codes. With 300 devices a member fills all 900 handles, and once
  // they are full every new code drops the oldest live one anywhere: another user's. Renewing their own codes keeps
  // the table full (a device's 4th code replaces its oldest) and makes every other code the oldest in turn, so a
  // member cycling through their devices within their frame budget (200/s, bursts of 2000) gives any other user's
  // link code a few seconds to live, not the 5 minutes a person needs to type it: no one else can add a device.
  // Now live codes are limited per user too (3, all devices together), so filling 900 handles takes 300 users.
  it("a member with many devices cannot push another user's live link code out of the table", async () => {
    const { hub, member } = await hubWithManyDevices(HANDLES / 3);
    const ann = await pairNewUser(hub, 'Ann');
    cleanups.push(() => ann.client.close());
    const link = await ann.client.expect({ type: 'createLinkCode' }, 'linkCode');
    // 900 codes made after Ann's: the last of them finds every handle taken, and Ann's code is the oldest.
    await createCodes(hub, member, 3);

    const phone = await greeted(hub, '127.0.0.2');
    const answer: ServerFrame = await pairRequest(phone, { credential: { kind: 'linkCode', code: link.code }, device });
    expect(answer).toMatchObject({ type: 'paired', userId: ann.credentials.userId });
  });

  it('an unknown handle costs the guesser exactly what a wrong code costs: one counted guess', async () => {
    const started = await startTestHub();
    cleanups.push(started.cleanup);
    const { hub } = started;
    const stranger = await greeted(hub, '127.0.0.2');
    const welcomed = stranger.welcomed;
    const start = codeExchange(welcomed, memoryDeviceKey(), { kind: 'linkCode', code: 'ZZZZ-ZZZZ' }, device).start;
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await stranger.request(start);
      answers.push(answer.type === 'error' ? answer.code : answer.type);
    }
    // Five counted guesses lock the address out, the sixth is refused unseen; the window counted five.
    expect(answers).toEqual([...Array.from({ length: 5 }, () => 'LINK_CODE_INVALID'), 'PAIRING_LOCKED']);
    expect(hub.pairingState().wrongGuesses).toBe(5);
  });
});
