import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageWire } from '../../../shared/protocol';
import { MemoryStorage } from '../../../shared/sync/MemoryStorage';
import type { Hub } from '../Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from '../registry/registrySchema';
import { filesContaining } from '../testing/filesContaining';
import { makeSyncDevice, pairSyncUser, waitFor, type SyncDevice } from '../testing/syncDevices';
import { startTestHub } from '../testing/testHub';

/** The owner's actions, seen from the sync client (shared/sync) on real devices of a real hub. */

let hub: Hub;
let dataDir: string;
let cleanup: () => Promise<void>;
let devices: SyncDevice[];

beforeEach(async () => {
  ({ hub, dataDir, cleanup } = await startTestHub());
  devices = [];
});

afterEach(async () => {
  for (const d of devices) await d.client.stop();
  await cleanup();
});

function makeDevice(name: string, storage = new MemoryStorage()): SyncDevice {
  // On the same storage (and so its key), a client rebuilt is the same device.
  const device = makeSyncDevice(hub, name, { storage });
  devices.push(device);
  return device;
}

async function pair(name: string): Promise<SyncDevice> {
  const device = await pairSyncUser(hub, name);
  devices.push(device);
  return device;
}

const general = (d: SyncDevice): readonly MessageWire[] => d.state().conversations[GENERAL]?.timeline.messages ?? [];
const SPAM = 'CHEAP PILLS at spam-shop.example';

describe('deleting a message', () => {
  it('a deleted message disappears from every device, including one that was offline (catch-up)', async () => {
    const ann = await pair('Ann');
    const bob = await pair('Bob');
    const carol = await pair('Carol');
    await bob.client.send(GENERAL, SPAM);
    await bob.client.send(GENERAL, 'and a normal message');
    for (const d of [ann, bob, carol]) await waitFor(d, () => general(d).length === 2, 'both messages');
    const spam = general(ann).find((m) => m.text === SPAM)!;

    // Carol goes offline, holding the text in memory and in storage.
    await carol.client.stop();
    expect((await carol.storage.loadMessages(GENERAL, spam.seq + 1, 1))[0]?.text).toBe(SPAM);

    await hub.operator.deleteMessage(GENERAL, spam.seq, 'desktop');
    for (const d of [ann, bob]) {
      const held = await waitFor(
        d,
        () => general(d).find((m) => m.seq === spam.seq && m.deleted),
        'the message deleted live',
      );
      expect(held.text).toBe('');
      expect(d.state().conversations[GENERAL]?.unreadCount ?? 0).toBeLessThanOrEqual(1);
    }

    // Back online, Carol catches up: the deletion empties what she held, in memory and in storage.
    const carolAgain = makeDevice("Carol's laptop", carol.storage);
    await carolAgain.client.start();
    await waitFor(carolAgain, () => general(carolAgain).find((m) => m.seq === spam.seq && m.deleted), 'catch-up');
    await carolAgain.client.stop();
    const stored = await carol.storage.loadMessages(GENERAL, spam.seq + 1, 1);
    expect(stored[0]).toMatchObject({ seq: spam.seq, text: '', deleted: true });

    // A device that never saw it gets it deleted from the start.
    const dan = await pair('Dan');
    await waitFor(dan, () => general(dan).length >= 3, "Dan's history");
    expect(general(dan).find((m) => m.seq === spam.seq)).toMatchObject({ text: '', deleted: true });
    expect(JSON.stringify(dan.state())).not.toContain('CHEAP');
  });

  it("the owner's rename reaches a connected device at once", async () => {
    const ann = await pair('Ann');
    await hub.operator.renameHub('Attic', 'cli');
    await waitFor(ann, (s) => s.hub?.name === 'Attic', 'the new name');
  });

  it("the deleted text is gone from the hub's files", async () => {
    const bob = await pair('Bob');
    await bob.client.send(GENERAL, SPAM);
    await waitFor(bob, () => general(bob).length === 1 && bob.state().pendingCount === 0, 'the ack');
    expect(await filesContaining(dataDir, 'CHEAP')).not.toEqual([]);

    await hub.operator.deleteMessage(GENERAL, general(bob)[0]!.seq, 'cli');
    await hub.flush();
    expect(await filesContaining(dataDir, 'CHEAP')).toEqual([]);
    expect(await filesContaining(dataDir, 'spam-shop')).toEqual([]);
    // Still none once the hub has stopped and written everything it keeps (usage counts, registry).
    await hub.stop();
    expect(await filesContaining(dataDir, 'CHEAP')).toEqual([]);
  });
});
