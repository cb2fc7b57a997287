import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { visibleMessages } from '../../shared/sync/hidden';
import type { RoostState } from '../../shared/sync/clientState';
import type { Hub } from './Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { makeSyncDevice, pairSyncDevice, pairSyncUser, waitFor, type SyncDevice } from './testing/syncDevices';
import { startTestHub } from './testing/testHub';

/**
 * Leaving and blocking in the sync client (shared/sync), against a real hub: what the state shows,
 * what storage keeps, what is counted unread. Every wait is on a state the client emits.
 */

let hub: Hub;
let cleanup: () => Promise<void>;
let devices: SyncDevice[] = [];

beforeEach(async () => {
  ({ hub, cleanup } = await startTestHub());
  devices = [];
});

afterEach(async () => {
  for (const d of devices) await d.client.stop();
  await cleanup();
});

async function user(name: string): Promise<SyncDevice> {
  const device = await pairSyncUser(hub, name);
  devices.push(device);
  return device;
}

async function secondDevice(existing: SyncDevice, name: string): Promise<SyncDevice> {
  const device = await pairSyncDevice(hub, existing, name);
  devices.push(device);
  return device;
}

const texts = (s: RoostState, id: string) => s.conversations[id]?.timeline.messages.map((m) => m.text) ?? [];
const shown = (s: RoostState, id: string) =>
  visibleMessages(s, s.conversations[id]?.timeline.messages ?? []).map((m) => m.text);
const idOf = (d: SyncDevice) => d.state().self!.userId;

describe('leaving a room, in the sync client', () => {
  it('a member who left a room gets none of its messages and cannot send there', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const alicePhone = await secondDevice(alice, "Alice's phone");
    const room = await bob.client.createGroup('Deals', [idOf(alice)]);
    await waitFor(alicePhone, (s) => s.conversations[room.id], 'the room on the phone');
    await bob.client.send(room.id, 'first deal');
    await waitFor(alice, (s) => texts(s, room.id).length === 1, 'the first deal');

    await alice.client.leaveConversation(room.id);
    // Gone at once on this device, with what was stored of it; the other device follows.
    expect(alice.state().conversations[room.id]).toBeUndefined();
    await waitFor(alicePhone, (s) => !s.conversations[room.id], 'the room gone on the phone');
    await alice.client.stop();
    expect(alice.storage.messageCount(room.id)).toBe(0);
    expect((await alice.storage.loadSnapshot())?.conversations.map((c) => c.id)).toEqual([GENERAL]);
    await alice.client.start();
    await waitFor(alice, (s) => s.status === 'connected', 'Alice back');

    // Bob's next message in the room never arrives; one in General, sent after it, does.
    await bob.client.send(room.id, 'second deal');
    await bob.client.send(GENERAL, 'hello');
    for (const d of [alice, alicePhone]) {
      await waitFor(d, (s) => texts(s, GENERAL).includes('hello'), 'hello in General');
      expect(d.state().conversations[room.id]).toBeUndefined();
    }
    await expect(alice.client.send(room.id, 'let me back')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await waitFor(bob, (s) => s.conversations[room.id]?.memberUserIds.length === 1, 'Bob sees Alice gone');

    // Added again, the room comes back with its whole history.
    await bob.client.addMembers(room.id, [idOf(alice)]);
    await waitFor(alice, (s) => texts(s, room.id).length === 2, 'the history after being added again');
    expect(texts(alice.state(), room.id)).toEqual(['first deal', 'second deal']);
  });

  it('refuses to leave General or a direct conversation', async () => {
    const alice = await user('Alice');
    const bob = await user('Bob');
    const direct = await alice.client.openDirect(idOf(bob));
    for (const id of [GENERAL, direct.id])
      await expect(alice.client.leaveConversation(id)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(Object.keys(alice.state().conversations).sort()).toEqual([GENERAL, direct.id].sort());
  });
});

describe('blocking, in the sync client', () => {
  it("a blocked user's messages are not pushed to the blocker and not counted as unread", async () => {
    const alice = await user('Alice');
    const spammer = await user('Spammer');
    const carol = await user('Carol');
    const alicePhone = await secondDevice(alice, "Alice's phone");
    const spammerId = idOf(spammer);

    await alice.client.blockUser(spammerId);
    expect(alice.state().blockedUserIds).toEqual([spammerId]);
    await waitFor(alicePhone, (s) => s.blockedUserIds.includes(spammerId), 'the block on the phone');

    await spammer.client.send(GENERAL, 'buy now');
    await waitFor(spammer, (s) => s.pendingCount === 0, 'the spam stored');
    await carol.client.send(GENERAL, 'hello');
    for (const d of [alice, alicePhone]) {
      // The spam was not pushed, so Carol's message left a gap: the catch-up fills it, and the spam is hidden.
      await waitFor(d, (s) => texts(s, GENERAL).length === 2 && !s.conversations[GENERAL]!.syncing, 'both messages');
      expect(shown(d.state(), GENERAL)).toEqual(['hello']);
      expect(d.state().conversations[GENERAL]!.unreadCount).toBe(1);
    }

    // Spam at the end, while a device is away: announced by `ready`, fetched, still not counted.
    await alicePhone.client.stop();
    await spammer.client.send(GENERAL, 'last chance');
    await waitFor(spammer, (s) => s.pendingCount === 0, 'more spam stored');
    await alicePhone.client.start();
    await waitFor(
      alicePhone,
      (s) => texts(s, GENERAL).includes('last chance') && !s.conversations[GENERAL]!.syncing,
      'the phone caught up',
    );
    expect(alicePhone.state().conversations[GENERAL]!.unreadCount).toBe(1);
    expect(alicePhone.state().blockedUserIds).toEqual([spammerId]);

    // Kept with the cache: a restart hides them before the hub answers.
    const storage = alicePhone.storage;
    await alicePhone.client.stop();
    const restarted = makeSyncDevice(hub, "Alice's phone", { storage });
    devices.push(restarted);
    await restarted.client.start();
    expect(restarted.state().blockedUserIds).toEqual([spammerId]);
    expect(restarted.state().conversations[GENERAL]!.unreadCount).toBe(1);

    // Unblocked: what they sent shows, and counts, on every device.
    await alice.client.unblockUser(spammerId);
    // Its pushes were withheld: the client catches up the conversations it shares with the spammer.
    await waitFor(alice, (s) => shown(s, GENERAL).length === 3, 'the spam shown on the laptop');
    expect(shown(alice.state(), GENERAL)).toEqual(['buy now', 'hello', 'last chance']);
    await waitFor(restarted, (s) => s.conversations[GENERAL]?.unreadCount === 3, 'all three unread on the phone');
  });

  it('a blocked user cannot open a direct conversation with the blocker or add them to a room', async () => {
    const alice = await user('Alice');
    const spammer = await user('Spammer');
    await alice.client.blockUser(idOf(spammer));
    await expect(spammer.client.openDirect(idOf(alice))).rejects.toMatchObject({ code: ErrorCode.BLOCKED_BY_USER });
    await expect(spammer.client.createGroup('Deals', [idOf(alice)])).rejects.toMatchObject({
      code: ErrorCode.BLOCKED_BY_USER,
      message: 'Alice does not accept direct conversations or room invitations from you.',
    });
    expect(Object.keys(alice.state().conversations)).toEqual([GENERAL]);
  });
});
