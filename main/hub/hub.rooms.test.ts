import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type ServerFrame } from '../../shared/protocol';
import type { Hub, HubOptions } from './Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import type { TestClient } from './testing/TestClient';
import { makeTempDir, pairLinkedDevice, pairNewUser, reconnect, startTestHub, type Device } from './testing/testHub';

/**
 * Finding 7 of issue 13, "rooms as spam": leaving a room, blocking a user, and the caps on making
 * rooms and adding people (PROTOCOL.md 2.2, 11.6, 11.7), on a real hub with real clients.
 */

const cleanups = cleanupsAfterEach();
let counter = 0;

afterEach(() => {
  counter = 0;
});

async function hub(options: Partial<HubOptions> = {}): Promise<Hub> {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started.hub;
}

function track(device: Device): Device {
  cleanups.push(() => device.client.close());
  return device;
}

/** Resolves once every frame sent to this connection before the pong has arrived (pushes of a send are written
 * before its ack, so after the sender's ack this shows whether a push came). */
async function settled(client: TestClient): Promise<void> {
  await client.expect({ type: 'ping' }, 'pong');
}

async function send(from: Device, conversationId: string, text: string): Promise<ServerFrame> {
  return from.client.request({ type: 'send', conversationId, clientMsgId: `rooms-test-${counter++}`, text });
}

function texts(client: TestClient): string[] {
  return client.all('message').map((f) => f.message.text);
}

describe('leaving a room', () => {
  it('a member who left a room gets none of its messages and cannot send there', async () => {
    const h = await hub();
    const alice = track(await pairNewUser(h, 'Alice'));
    const bob = track(await pairNewUser(h, 'Bob'));
    const bobPhone = track(await pairLinkedDevice(h, bob.client, "Bob's phone"));
    const room = await alice.client.expect(
      { type: 'createGroup', name: 'Spam', memberUserIds: [bob.credentials.userId] },
      'conversation',
    );
    const roomId = room.conversation.id;
    await bobPhone.client.nextOf('conversation', (f) => f.conversation.id === roomId);
    expect(await send(bob, roomId, 'before leaving')).toMatchObject({ type: 'ack' });

    const left = await bob.client.request({ type: 'leaveConversation', conversationId: roomId });
    expect(left).toMatchObject({ type: 'conversationLeft', conversationId: roomId });
    // Bob's other device drops it too; Alice sees who is left.
    await bobPhone.client.nextOf('conversationLeft', (f) => f.conversationId === roomId);
    const update = await alice.client.nextOf('conversation', (f) => f.conversation.id === roomId);
    expect(update.conversation.memberUserIds).toEqual([alice.credentials.userId]);

    expect(await send(alice, roomId, 'after Bob left')).toMatchObject({ type: 'ack' });
    expect(await alice.client.request({ type: 'typing', conversationId: roomId })).toMatchObject({ type: 'ok' });
    for (const device of [bob, bobPhone]) {
      await settled(device.client);
      expect(texts(device.client)).not.toContain('after Bob left');
      expect(device.client.all('typing')).toEqual([]);
    }
    for (const refused of [
      await send(bob, roomId, 'let me back'),
      await bob.client.request({ type: 'fetchMessages', conversationId: roomId, direction: 'forward', cursor: 0 }),
      await bob.client.request({ type: 'typing', conversationId: roomId }),
      await bob.client.request({ type: 'leaveConversation', conversationId: roomId }),
    ])
      expect(refused).toMatchObject({ type: 'error', code: ErrorCode.NOT_A_MEMBER });

    // Gone from Bob's snapshot; Alice still has what he said.
    const again = track(await reconnect(h.port, bobPhone.credentials));
    expect(again.ready.conversations.map((c) => c.id)).not.toContain(roomId);
    const page = await alice.client.expect(
      { type: 'fetchMessages', conversationId: roomId, direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.map((m) => m.text)).toEqual(['before leaving', 'after Bob left']);

    // He may be added again, and then sees the whole history.
    await alice.client.expect(
      { type: 'addMembers', conversationId: roomId, userIds: [bob.credentials.userId] },
      'conversation',
    );
    await bob.client.nextOf('conversation', (f) => f.conversation.id === roomId);
    expect(await send(bob, roomId, 'back')).toMatchObject({ type: 'ack' });
  });

  it('refuses to leave the default room or a direct conversation', async () => {
    const h = await hub();
    const alice = track(await pairNewUser(h, 'Alice'));
    const bob = track(await pairNewUser(h, 'Bob'));
    const direct = await alice.client.expect({ type: 'openDirect', userId: bob.credentials.userId }, 'conversation');
    for (const conversationId of [GENERAL, direct.conversation.id]) {
      const refused = await alice.client.request({ type: 'leaveConversation', conversationId });
      expect(refused).toMatchObject({ type: 'error', code: ErrorCode.FORBIDDEN, frameType: 'leaveConversation' });
    }
    expect(await alice.client.request({ type: 'leaveConversation', conversationId: 'no-such-room' })).toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
  });

  it('a room left stays left after the hub restarts', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const first = await startTestHub({ dataDir: temp.dir });
    const alice = await pairNewUser(first.hub, 'Alice');
    const room = await alice.client.expect({ type: 'createGroup', name: 'Gone', memberUserIds: [] }, 'conversation');
    await alice.client.expect({ type: 'leaveConversation', conversationId: room.conversation.id }, 'conversationLeft');
    await alice.client.close();
    await first.cleanup();

    const h = await hub({ dataDir: temp.dir });
    const again = track(await reconnect(h.port, alice.credentials));
    expect(again.ready.conversations.map((c) => c.id)).toEqual([GENERAL]);
  });
});

describe('blocking a user', () => {
  it("a blocked user's messages are not pushed to the blocker", async () => {
    const h = await hub();
    const alice = track(await pairNewUser(h, 'Alice'));
    const alicePhone = track(await pairLinkedDevice(h, alice.client, "Alice's phone"));
    const spammer = track(await pairNewUser(h, 'Spammer'));
    const carol = track(await pairNewUser(h, 'Carol'));
    const spammerId = spammer.credentials.userId;

    const blocks = await alice.client.request({ type: 'blockUser', userId: spammerId });
    expect(blocks).toMatchObject({ type: 'blocks', userIds: [spammerId] });
    expect(await alicePhone.client.nextOf('blocks')).toMatchObject({ userIds: [spammerId] });

    expect(await send(spammer, GENERAL, 'buy now')).toMatchObject({ type: 'ack' });
    expect(await spammer.client.request({ type: 'typing', conversationId: GENERAL })).toMatchObject({ type: 'ok' });
    expect(await send(carol, GENERAL, 'hello')).toMatchObject({ type: 'ack' });
    for (const device of [alice, alicePhone]) {
      await device.client.nextOf('message', (f) => f.message.text === 'hello');
      await settled(device.client);
      expect(texts(device.client)).toEqual(['hello']);
      expect(device.client.all('typing')).toEqual([]);
    }
    // Everyone else still gets it; the spammer is never told.
    await carol.client.nextOf('message', (f) => f.message.text === 'buy now');
    await settled(spammer.client);
    expect(spammer.client.all('blocks')).toEqual([]);

    // The list is Alice's own, in her snapshot only, and survives a reconnect.
    const again = track(await reconnect(h.port, alicePhone.credentials));
    expect(again.ready.blockedUserIds).toEqual([spammerId]);
    const spammerAgain = track(await reconnect(h.port, spammer.credentials));
    expect(spammerAgain.ready.blockedUserIds).toEqual([]);

    // Pages hold every message, so seqs stay contiguous; the client hides the blocked ones (11.7).
    const page = await alice.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.map((m) => m.text)).toEqual(['buy now', 'hello']);

    // Unblocked: pushed again.
    expect(await alice.client.request({ type: 'unblockUser', userId: spammerId })).toMatchObject({
      type: 'blocks',
      userIds: [],
    });
    await alicePhone.client.nextOf('blocks', (f) => f.userIds.length === 0);
    expect(await send(spammer, GENERAL, 'sorry')).toMatchObject({ type: 'ack' });
    await alice.client.nextOf('message', (f) => f.message.text === 'sorry');
  });

  it('a blocked user cannot open a direct conversation with the blocker or add them to a room', async () => {
    const h = await hub();
    const alice = track(await pairNewUser(h, 'Alice'));
    const spammer = track(await pairNewUser(h, 'Spammer'));
    const carol = track(await pairNewUser(h, 'Carol'));
    const aliceId = alice.credentials.userId;
    const room = await spammer.client.expect(
      { type: 'createGroup', name: 'Deals', memberUserIds: [carol.credentials.userId] },
      'conversation',
    );
    await alice.client.expect({ type: 'blockUser', userId: spammer.credentials.userId }, 'blocks');

    const refusals = [
      await spammer.client.request({ type: 'openDirect', userId: aliceId }),
      await spammer.client.request({ type: 'createGroup', name: 'More deals', memberUserIds: [aliceId] }),
      await spammer.client.request({
        type: 'addMembers',
        conversationId: room.conversation.id,
        userIds: [carol.credentials.userId, aliceId],
      }),
    ];
    for (const refused of refusals) {
      expect(refused).toMatchObject({ type: 'error', code: ErrorCode.BLOCKED_BY_USER });
      expect(refused.type === 'error' && refused.message).toBe(
        'Alice does not accept direct conversations or room invitations from you.',
      );
    }
    // Nothing was made or changed, and Alice heard nothing of it.
    await settled(alice.client);
    expect(alice.client.all('conversation').filter((f) => f.conversation.id !== GENERAL)).toEqual([]);
    const spammerAgain = track(await reconnect(h.port, spammer.credentials));
    expect(spammerAgain.ready.conversations.map((c) => c.name).sort()).toEqual(['Deals', 'General']);

    // Others may still add Alice alongside the spammer; Alice may still reach the spammer.
    const shared = await carol.client.expect(
      { type: 'createGroup', name: 'Both', memberUserIds: [aliceId, spammer.credentials.userId] },
      'conversation',
    );
    expect(shared.conversation.memberUserIds).toContain(aliceId);
    await alice.client.expect({ type: 'openDirect', userId: spammer.credentials.userId }, 'conversation');
    // Unblocked: the spammer may add her again.
    await alice.client.expect({ type: 'unblockUser', userId: spammer.credentials.userId }, 'blocks');
    await spammer.client.expect({ type: 'openDirect', userId: aliceId }, 'conversation');
  });

  it('refuses to block yourself or an unknown user; blocking twice changes nothing', async () => {
    const h = await hub();
    const alice = track(await pairNewUser(h, 'Alice'));
    const alicePhone = track(await pairLinkedDevice(h, alice.client, "Alice's phone"));
    const bob = track(await pairNewUser(h, 'Bob'));
    expect(await alice.client.request({ type: 'blockUser', userId: alice.credentials.userId })).toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    expect(await alice.client.request({ type: 'blockUser', userId: 'nobody' })).toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    await alice.client.expect({ type: 'blockUser', userId: bob.credentials.userId }, 'blocks');
    await alice.client.expect({ type: 'blockUser', userId: bob.credentials.userId }, 'blocks');
    expect(await alice.client.request({ type: 'unblockUser', userId: 'nobody' })).toMatchObject({
      type: 'blocks',
      userIds: [bob.credentials.userId],
    });
    await settled(alicePhone.client);
    // One change, one push.
    expect(alicePhone.client.all('blocks')).toHaveLength(1);
  });

  it('a block survives a restart of the hub', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const first = await startTestHub({ dataDir: temp.dir });
    const alice = await pairNewUser(first.hub, 'Alice');
    const bob = await pairNewUser(first.hub, 'Bob');
    await alice.client.expect({ type: 'blockUser', userId: bob.credentials.userId }, 'blocks');
    await alice.client.close();
    await bob.client.close();
    await first.cleanup();

    const h = await hub({ dataDir: temp.dir });
    const again = track(await reconnect(h.port, alice.credentials));
    expect(again.ready.blockedUserIds).toEqual([bob.credentials.userId]);
    const bobAgain = track(await reconnect(h.port, bob.credentials));
    expect(await bobAgain.client.request({ type: 'openDirect', userId: alice.credentials.userId })).toMatchObject({
      code: ErrorCode.BLOCKED_BY_USER,
    });
  });
});

describe('caps on rooms and members, per user', () => {
  it('creating rooms past the hourly cap is refused with the time to wait', async () => {
    const clock = { t: Date.UTC(2026, 0, 5, 9) };
    const h = await hub({ now: () => clock.t, rooms: { roomsPerHour: 3 } });
    const spammer = track(await pairNewUser(h, 'Spammer'));
    const spammerPhone = track(await pairLinkedDevice(h, spammer.client, "Spammer's phone"));
    const bob = track(await pairNewUser(h, 'Bob'));
    const create = (device: Device, name: string) =>
      device.client.request({ type: 'createGroup', name, memberUserIds: [] });

    for (const name of ['one', 'two']) expect(await create(spammer, name)).toMatchObject({ type: 'conversation' });
    clock.t += 20 * 60_000;
    expect(await create(spammer, 'three')).toMatchObject({ type: 'conversation' });
    // Across all of the user's devices; the first room frees up an hour after it was made, 40 minutes on.
    const refused = await create(spammerPhone, 'four');
    expect(refused).toMatchObject({ type: 'error', code: ErrorCode.ROOM_RATE_LIMITED, frameType: 'createGroup' });
    expect(refused.type === 'error' && refused.message).toBe('You can create 3 rooms an hour. Try again in 40 min.');
    // Someone else is not affected, and a refusal made nothing.
    expect(await create(bob, 'mine')).toMatchObject({ type: 'conversation' });
    const again = track(await reconnect(h.port, spammer.credentials));
    expect(again.ready.conversations).toHaveLength(4);

    clock.t += 40 * 60_000 - 1000;
    expect(await create(spammer, 'four')).toMatchObject({ code: ErrorCode.ROOM_RATE_LIMITED });
    clock.t += 1000;
    expect(await create(spammer, 'four')).toMatchObject({ type: 'conversation' });
  });

  it('adding members past the per-minute cap is refused', async () => {
    const clock = { t: Date.UTC(2026, 0, 5, 9) };
    const h = await hub({ now: () => clock.t, rooms: { membersAddedPerMinute: 3 } });
    const spammer = track(await pairNewUser(h, 'Spammer'));
    const victims = [];
    for (const name of ['Ann', 'Bo', 'Cy', 'Di', 'Ed']) victims.push(track(await pairNewUser(h, name)));
    const ids = victims.map((v) => v.credentials.userId);

    const room = await spammer.client.expect(
      { type: 'createGroup', name: 'Deals', memberUserIds: ids.slice(0, 2) },
      'conversation',
    );
    const roomId = room.conversation.id;
    clock.t += 15_000;
    const refused = await spammer.client.request({
      type: 'addMembers',
      conversationId: roomId,
      userIds: ids.slice(2, 4),
    });
    expect(refused).toMatchObject({ type: 'error', code: ErrorCode.MEMBER_RATE_LIMITED, frameType: 'addMembers' });
    expect(refused.type === 'error' && refused.message).toBe('You can add 3 people a minute. Try again in 45 s.');
    // Nobody was added by the refused request, and people already in the room cost nothing.
    await settled(victims[2]!.client);
    expect(victims[2]!.client.all('conversation').filter((f) => f.conversation.id === roomId)).toEqual([]);
    await spammer.client.expect(
      { type: 'addMembers', conversationId: roomId, userIds: [...ids.slice(0, 2), ids[2]!] },
      'conversation',
    );
    expect(
      await spammer.client.request({ type: 'addMembers', conversationId: roomId, userIds: [ids[3]!] }),
    ).toMatchObject({
      code: ErrorCode.MEMBER_RATE_LIMITED,
    });
    // Making a room with more people than a minute allows is refused outright, with what to do instead.
    const tooMany = await spammer.client.request({ type: 'createGroup', name: 'All', memberUserIds: ids });
    expect(tooMany.type === 'error' && tooMany.message).toBe(
      'You can add 3 people a minute, and this adds 5: add them in smaller groups.',
    );

    clock.t += 45_000;
    await spammer.client.expect(
      { type: 'addMembers', conversationId: roomId, userIds: ids.slice(0, 3) },
      'conversation',
    );
    await settled(victims[0]!.client);
    expect(victims[0]!.client.all('conversation').filter((f) => f.conversation.id === roomId)).toHaveLength(2);
    await spammer.client.expect(
      { type: 'addMembers', conversationId: roomId, userIds: ids.slice(3, 5) },
      'conversation',
    );
  });

  it('adding people already in a room stores nothing and pushes nothing, however often', async () => {
    const h = await hub();
    const spammer = track(await pairNewUser(h, 'Spammer'));
    const ann = track(await pairNewUser(h, 'Ann'));
    const room = await spammer.client.expect(
      { type: 'createGroup', name: 'Deals', memberUserIds: [ann.credentials.userId] },
      'conversation',
    );
    await ann.client.nextOf('conversation', (f) => f.conversation.id === room.conversation.id);
    for (let i = 0; i < 20; i++) {
      const again = await spammer.client.expect(
        { type: 'addMembers', conversationId: room.conversation.id, userIds: [ann.credentials.userId] },
        'conversation',
      );
      expect(again.conversation.memberUserIds).toHaveLength(2);
    }
    await settled(ann.client);
    expect(ann.client.all('conversation').filter((f) => f.conversation.id === room.conversation.id)).toHaveLength(1);
  });
});
