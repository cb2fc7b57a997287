import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/protocol';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { pairLinkedDevice, pairNewUser, reconnect, startTestHub, type Device } from './testing/testHub';
import type { Hub } from './Hub';

let hub: Hub;
let cleanup: () => Promise<void>;
let a1: Device;
let a2: Device;
let b: Device;
let counter = 0;
const mid = () => `msg-${Date.now()}-${counter++}`;

beforeEach(async () => {
  ({ hub, cleanup } = await startTestHub());
  a1 = await pairNewUser(hub, 'Alice');
  b = await pairNewUser(hub, 'Bob');
  a2 = await pairLinkedDevice(hub, a1.client, 'Alice phone');
});

afterEach(async () => {
  for (const d of [a1, a2, b]) await d?.client.close();
  await cleanup();
});

describe('hub messaging (real hub, real clients)', () => {
  it('acks the sender once durable and pushes to every other device of every member, not to the sender', async () => {
    const clientMsgId = mid();
    const ack = await a1.client.expect(
      { type: 'send', conversationId: GENERAL, clientMsgId, text: 'hello all' },
      'ack',
    );
    expect(ack).toMatchObject({ conversationId: GENERAL, clientMsgId, seq: 1, duplicate: false });

    const onA2 = await a2.client.nextOf('message');
    const onB = await b.client.nextOf('message');
    for (const f of [onA2, onB]) {
      expect(f.message).toMatchObject({
        conversationId: GENERAL,
        seq: 1,
        clientMsgId,
        text: 'hello all',
        senderUserId: a1.credentials.userId,
        senderDeviceId: a1.credentials.deviceId,
      });
    }
    await a1.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId: mid(), text: 'second' }, 'ack');
    await b.client.nextOf('message', (f) => f.message.seq === 2);
    expect(a1.client.all('message')).toHaveLength(0);
  });

  it('pushes group and direct messages only to members', async () => {
    const group = await a1.client.expect(
      { type: 'createGroup', name: 'Alice only', memberUserIds: [] },
      'conversation',
    );
    await a2.client.nextOf('conversation', (f) => f.conversation.id === group.conversation.id);
    await a1.client.expect(
      { type: 'send', conversationId: group.conversation.id, clientMsgId: mid(), text: 'private' },
      'ack',
    );
    await a2.client.nextOf('message', (f) => f.message.text === 'private');

    const dm = await a1.client.expect({ type: 'openDirect', userId: b.credentials.userId }, 'conversation');
    expect(dm.conversation.kind).toBe('direct');
    await b.client.nextOf('conversation', (f) => f.conversation.id === dm.conversation.id);
    const again = await a2.client.expect({ type: 'openDirect', userId: b.credentials.userId }, 'conversation');
    expect(again.conversation.id).toBe(dm.conversation.id);
    await b.client.expect(
      { type: 'send', conversationId: dm.conversation.id, clientMsgId: mid(), text: 'hi alice' },
      'ack',
    );
    await a1.client.nextOf('message', (f) => f.message.text === 'hi alice');
    await a2.client.nextOf('message', (f) => f.message.text === 'hi alice');

    // Bob is not in the group: he cannot send there, and he never saw its message.
    const refused = await b.client.request({
      type: 'send',
      conversationId: group.conversation.id,
      clientMsgId: mid(),
      text: 'sneak',
    });
    expect(refused).toMatchObject({ type: 'error', code: 'NOT_A_MEMBER' });
    expect(b.client.all('message').map((f) => f.message.text)).toEqual([]);
  });

  it('stores a resent client id once and answers with the original result', async () => {
    const clientMsgId = mid();
    const first = await a1.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId, text: 'once' }, 'ack');
    const again = await a1.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId, text: 'once' }, 'ack');
    expect(again).toMatchObject({ seq: first.seq, sentAt: first.sentAt, duplicate: true });
    // A resend from another connection of the same device after a reconnect is recognised too.
    await a1.client.close();
    a1 = await reconnect(hub.port, a1.credentials);
    const third = await a1.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId, text: 'once' }, 'ack');
    expect(third).toMatchObject({ seq: first.seq, duplicate: true });
    const page = await b.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.map((m) => m.clientMsgId)).toEqual([clientMsgId]);
  });

  it('lets a device that was offline catch up on exactly what it missed, in order, paged', async () => {
    await a1.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId: mid(), text: 'before' }, 'ack');
    await b.client.nextOf('message');
    const cursor = 1;
    await b.client.close();
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = mid();
      sent.push(id);
      a1.client.sendFrame({ type: 'send', conversationId: GENERAL, clientMsgId: id, text: `missed ${i}` });
    }
    for (const id of sent) await a1.client.nextOf('ack', (f) => f.clientMsgId === id);

    b = await reconnect(hub.port, b.credentials);
    const general = b.ready.conversations.find((c) => c.id === GENERAL)!;
    expect(general.lastSeq).toBe(31);
    const got: string[] = [];
    let at = cursor;
    for (let hasMore = true; hasMore;) {
      const page = await b.client.expect(
        { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: at, limit: 7 },
        'messages',
      );
      expect(page.messages.map((m) => m.seq)).toEqual(page.messages.map((_, i) => at + 1 + i));
      got.push(...page.messages.map((m) => m.clientMsgId));
      at = page.messages.at(-1)?.seq ?? at;
      hasMore = page.hasMore;
    }
    expect(got).toEqual(sent);
  });

  it('gives a new device of an existing user the full history, and pages backwards for scrolling', async () => {
    for (let i = 0; i < 12; i++)
      await a1.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId: mid(), text: `m${i}` }, 'ack');
    const a3 = await pairLinkedDevice(hub, a2.client, 'Alice tablet');
    const all = await a3.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0, limit: 500 },
      'messages',
    );
    expect(all.messages.map((m) => m.text)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
    expect(all.hasMore).toBe(false);

    const latest = await a3.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'backward', cursor: 13, limit: 5 },
      'messages',
    );
    expect(latest.messages.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(latest.hasMore).toBe(true);
    const oldest = await a3.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'backward', cursor: 3, limit: 5 },
      'messages',
    );
    expect(oldest.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(oldest.hasMore).toBe(false);
    await a3.client.close();
  });

  it("syncs a user's read marker to all their devices and tells senders about delivery and reads", async () => {
    const ack = await b.client.expect(
      { type: 'send', conversationId: GENERAL, clientMsgId: mid(), text: 'read me' },
      'ack',
    );
    await a1.client.nextOf('message');
    await a2.client.nextOf('message');
    await a1.client.expect({ type: 'markDelivered', conversationId: GENERAL, seq: ack.seq }, 'ok');
    const delivered = await b.client.nextOf('receipt', (f) => f.receipt.userId === a1.credentials.userId);
    expect(delivered.receipt).toEqual({ userId: a1.credentials.userId, deliveredSeq: ack.seq, readSeq: 0 });

    await a2.client.expect({ type: 'markRead', conversationId: GENERAL, seq: ack.seq }, 'ok');
    const onA1 = await a1.client.nextOf('receipt', (f) => f.receipt.readSeq === ack.seq);
    expect(onA1.receipt.userId).toBe(a1.credentials.userId);
    await b.client.nextOf('receipt', (f) => f.receipt.readSeq === ack.seq);

    // Markers never move back, and a device connecting later starts from them.
    await a1.client.expect({ type: 'markRead', conversationId: GENERAL, seq: 0 }, 'ok');
    const a3 = await pairLinkedDevice(hub, a1.client, 'Alice tablet');
    const general = a3.ready.conversations.find((c) => c.id === GENERAL)!;
    expect(general.receipts.find((r) => r.userId === a1.credentials.userId)).toMatchObject({
      readSeq: ack.seq,
      deliveredSeq: ack.seq,
    });
    await a3.client.close();
  });

  it('stops a page early once its texts reach the page budget', async () => {
    const big = 'x'.repeat(LIMITS.maxTextLength);
    const count = Math.ceil(LIMITS.maxPageTextLength / big.length) + 5;
    for (let i = 0; i < count; i++)
      a1.client.sendFrame({ type: 'send', conversationId: GENERAL, clientMsgId: `big-${i}-padding`, text: big });
    await a1.client.nextOf('ack', (f) => f.clientMsgId === `big-${count - 1}-padding`);
    const forward = await b.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0, limit: 500 },
      'messages',
    );
    expect(forward.messages.length).toBe(Math.floor(LIMITS.maxPageTextLength / big.length));
    expect(forward.messages[0]?.seq).toBe(1);
    expect(forward.hasMore).toBe(true);
    const backward = await b.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'backward', cursor: count + 1, limit: 500 },
      'messages',
    );
    expect(backward.messages.at(-1)?.seq).toBe(count);
    expect(backward.hasMore).toBe(true);
  });

  it('answers an app-level ping in any state, for browsers that cannot see WebSocket pings', async () => {
    expect(await a1.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('relays at most one typing per device and conversation every 2 s, however often it is sent', async () => {
    const before = a1.client.all('typing').length;
    for (let i = 0; i < 5; i++) await b.client.expect({ type: 'typing', conversationId: GENERAL }, 'ok');
    await b.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId: mid(), text: 'after typing' }, 'ack');
    // Pushes to a1 leave in order, so once the message is there every relayed typing is too.
    await a1.client.nextOf('message', (f) => f.message.text === 'after typing');
    expect(a1.client.all('typing').length - before).toBeLessThanOrEqual(1);
  });

  it('shares presence and typing, which are not stored', async () => {
    expect(a1.ready.users.find((u) => u.id === a1.credentials.userId)?.online).toBe(true);
    // Bob's arrival during set-up, taken now so the wait after his reconnect below cannot match it.
    await a1.client.nextOf('presence', (f) => f.userId === b.credentials.userId && f.online);
    await b.client.expect({ type: 'typing', conversationId: GENERAL }, 'ok');
    const typing = await a1.client.nextOf('typing');
    expect(typing).toMatchObject({ conversationId: GENERAL, userId: b.credentials.userId });
    expect(b.client.all('typing')).toHaveLength(0);

    await b.client.close();
    await a1.client.nextOf('presence', (f) => f.userId === b.credentials.userId && !f.online);
    // Alice still has a device online, so closing one of hers changes no presence.
    await a2.client.close();
    const devices = await a1.client.nextOf('devices', (f) =>
      f.devices.some((d) => d.id === a2.credentials.deviceId && !d.online),
    );
    expect(devices.devices.find((d) => d.id === a1.credentials.deviceId)?.online).toBe(true);
    b = await reconnect(hub.port, b.credentials);
    await a1.client.nextOf('presence', (f) => f.userId === b.credentials.userId && f.online);
  });
});
