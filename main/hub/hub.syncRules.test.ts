import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/protocol';
import type { Hub } from './Hub';
import type { TestClient } from './testing/TestClient';
import { pairLinkedDevice, pairNewUser, reconnect, startTestHub, type Device } from './testing/testHub';

/**
 * Rules of PROTOCOL.md 8.2, 9.2 and 12.5 at the hub's boundary: where a
 * cursor past the end leads, what moves deliveredSeq, and who is sent
 * `devices` when.
 */

let hub: Hub;
let cleanup: () => Promise<void>;
let alice: Device;
let bob: Device;
let roomId: string;
const opened: TestClient[] = [];

beforeEach(async () => {
  ({ hub, cleanup } = await startTestHub());
  alice = await pairNewUser(hub, 'Alice');
  bob = await pairNewUser(hub, 'Bob');
  const room = await alice.client.expect(
    { type: 'createGroup', name: 'Five', memberUserIds: [bob.credentials.userId] },
    'conversation',
  );
  roomId = room.conversation.id;
  for (let i = 1; i <= 5; i++)
    await alice.client.expect(
      { type: 'send', conversationId: roomId, clientMsgId: `sync-rule-${i}`, text: `m${i}` },
      'ack',
    );
});

afterEach(async () => {
  for (const client of [alice.client, bob.client, ...opened.splice(0)]) await client.close();
  await cleanup();
});

/** Resolves once every frame sent to this connection before the pong has arrived. */
async function settled(client: TestClient): Promise<void> {
  await client.expect({ type: 'ping' }, 'pong');
}

async function page(direction: 'forward' | 'backward', cursor: number, limit?: number) {
  const answer = await bob.client.expect(
    { type: 'fetchMessages', conversationId: roomId, direction, cursor, limit },
    'messages',
  );
  return { seqs: answer.messages.map((m) => m.seq), hasMore: answer.hasMore };
}

describe('fetchMessages cursors past the end (lastSeq = 5)', () => {
  it('reads a backward cursor above lastSeq + 1 as lastSeq + 1: the newest messages', async () => {
    for (const cursor of [6, 7, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(await page('backward', cursor), `cursor ${cursor}`).toEqual({ seqs: [1, 2, 3, 4, 5], hasMore: false });
      expect(await page('backward', cursor, 2), `cursor ${cursor}`).toEqual({ seqs: [4, 5], hasMore: true });
    }
  });

  it('gives an empty last page to a forward cursor at or past lastSeq and a backward one at 0 or 1', async () => {
    for (const cursor of [5, 6, Number.MAX_SAFE_INTEGER])
      expect(await page('forward', cursor), `forward ${cursor}`).toEqual({ seqs: [], hasMore: false });
    for (const cursor of [0, 1]) expect(await page('backward', cursor)).toEqual({ seqs: [], hasMore: false });
  });
});

describe('deliveredSeq', () => {
  const bobsReceipt = (frame: ServerFrame) =>
    frame.type === 'receipt' && frame.receipt.userId === bob.credentials.userId ? frame.receipt : undefined;

  it('moves on markDelivered or markRead from the member, not when a message reaches a device', async () => {
    await bob.client.nextOf('message', (m) => m.message.seq === 5);
    await page('forward', 0);
    await settled(alice.client);
    expect(alice.client.frames.map(bobsReceipt).filter(Boolean)).toEqual([]);
    const fresh = await reconnect(hub.port, alice.credentials);
    opened.push(fresh.client);
    const room = fresh.ready.conversations.find((c) => c.id === roomId)!;
    expect(room.receipts.find((r) => r.userId === bob.credentials.userId)).toMatchObject({
      deliveredSeq: 0,
      readSeq: 0,
    });

    bob.client.sendFrame({ type: 'markDelivered', conversationId: roomId, seq: 3 });
    expect((await alice.client.nextOf('receipt')).receipt).toMatchObject({ deliveredSeq: 3, readSeq: 0 });
    // Clamped to lastSeq; reading implies delivery.
    bob.client.sendFrame({ type: 'markRead', conversationId: roomId, seq: 99 });
    expect((await alice.client.nextOf('receipt')).receipt).toMatchObject({ deliveredSeq: 5, readSeq: 5 });
  });
});

describe('devices pushes', () => {
  const devicesFrames = (client: TestClient) => client.all('devices').filter((f) => f.rid === undefined);

  it("go to the user's other ready connections when one becomes ready or closes, and to all on a rename", async () => {
    const phone = await pairLinkedDevice(hub, alice.client, 'Alice phone');
    opened.push(phone.client);
    await alice.client.nextOf('devices', (f) => f.devices.length === 2);

    // A second connection of an already online device: the others are told (lastSeenAt moved), it is not.
    const second = await reconnect(hub.port, phone.credentials);
    opened.push(second.client);
    await alice.client.nextOf('devices', (f) => f.rid === undefined);
    await phone.client.nextOf('devices', (f) => f.rid === undefined);
    await settled(second.client);
    expect(devicesFrames(second.client)).toEqual([]);

    await second.client.close();
    expect(
      (await phone.client.nextOf('devices')).devices.find((d) => d.id === phone.credentials.deviceId),
    ).toMatchObject({
      online: true,
    });
    await alice.client.nextOf('devices');

    // A rename: every ready connection of the user, the requester included, before its ok.
    const renamed = await alice.client.expect(
      { type: 'renameDevice', deviceId: phone.credentials.deviceId, name: 'Pixel' },
      'ok',
    );
    const before = alice.client.frames.indexOf(renamed);
    const push = alice.client.frames.findIndex(
      (f, i) => i < before && f.type === 'devices' && f.devices.some((d) => d.name === 'Pixel'),
    );
    expect(push).toBeGreaterThan(-1);
    await phone.client.nextOf('devices', (f) => f.devices.some((d) => d.name === 'Pixel'));
    // Other users are never told about this user's devices.
    await settled(bob.client);
    expect(devicesFrames(bob.client)).toEqual([]);
  });
});
