import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type MessageWire } from '../../shared/protocol';
import type { Hub } from './Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { makeSyncDevice, pairSyncDevice, pairSyncUser, waitFor, type SyncDevice } from './testing/syncDevices';
import { startTestHub } from './testing/testHub';

/** `RoostClient.deleteMessage` on a real hub: the sender's deletion reaches every device, live or on catch-up. */

const cleanups = cleanupsAfterEach();
let devices: SyncDevice[] = [];

afterEach(async () => {
  for (const d of devices.splice(0)) await d.client.stop();
});

async function hub(): Promise<Hub> {
  const started = await startTestHub();
  cleanups.push(started.cleanup);
  return started.hub;
}

function tracked(device: SyncDevice): SyncDevice {
  devices.push(device);
  return device;
}

const general = (d: SyncDevice): readonly MessageWire[] => d.state().conversations[GENERAL]?.timeline.messages ?? [];
const WRONG = 'the wifi password is hunter2';

describe('deleting an own message with the sync client', () => {
  it('empties it on every device, one that was offline included, from any device of its sender', async () => {
    const h = await hub();
    const annLaptop = tracked(await pairSyncUser(h, 'Ann'));
    const annPhone = tracked(await pairSyncDevice(h, annLaptop, "Ann's phone"));
    const bob = tracked(await pairSyncUser(h, 'Bob'));
    await annLaptop.client.send(GENERAL, WRONG);
    for (const d of [annLaptop, annPhone, bob]) await waitFor(d, () => general(d).length === 1, 'the message');
    const { seq } = general(bob)[0]!;
    await bob.client.stop();

    await annPhone.client.deleteMessage(GENERAL, seq);
    // Applied by the time the request resolves, from the pushed deletion.
    expect(general(annPhone)[0]).toMatchObject({ seq, text: '', deleted: true });
    await waitFor(annLaptop, () => general(annLaptop)[0]?.deleted, "the laptop's copy deleted");

    // Bob comes back on the same storage, which holds the text, and catches up.
    expect((await bob.storage.loadMessages(GENERAL, seq + 1, 1))[0]?.text).toBe(WRONG);
    const bobAgain = tracked(makeSyncDevice(h, "Bob's laptop", { storage: bob.storage }));
    await bobAgain.client.start();
    await waitFor(bobAgain, () => general(bobAgain)[0]?.deleted, 'the catch-up');
    await bobAgain.client.stop();
    expect((await bob.storage.loadMessages(GENERAL, seq + 1, 1))[0]).toMatchObject({ seq, text: '', deleted: true });
    for (const d of [annLaptop, annPhone, bobAgain]) expect(JSON.stringify(d.state())).not.toContain('hunter2');
  });

  it("rejects someone else's message with FORBIDDEN and leaves it", async () => {
    const h = await hub();
    const ann = tracked(await pairSyncUser(h, 'Ann'));
    const bob = tracked(await pairSyncUser(h, 'Bob'));
    await bob.client.send(GENERAL, 'mine, not yours');
    await waitFor(ann, () => general(ann).length === 1, 'the message');
    await expect(ann.client.deleteMessage(GENERAL, general(ann)[0]!.seq)).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    expect(general(ann)[0]).toMatchObject({ text: 'mine, not yours' });
  });
});
