import { describe, expect, it } from 'vitest';
import { LIMITS } from '../protocol';
import { MemoryStorage } from './MemoryStorage';
import { authenticate, flushMicrotasks, makeClient, startPaired } from './testing/clientHarness';
import { ALICE, ALICE_LAPTOP, GENERAL, conversation, msg, ready } from './testing/fixtures';

const ack = (rid: string | undefined, clientMsgId: string, seq: number, duplicate = false) => ({
  type: 'ack' as const,
  rid,
  conversationId: GENERAL,
  clientMsgId,
  seq,
  sentAt: 1_700_000_000_000 + seq,
  duplicate,
});

describe('RoostClient: outbox', () => {
  it('stores a message before sending it, shows it pending, and moves it into the timeline on ack', async () => {
    const storage = new MemoryStorage();
    const h = makeClient({}, storage);
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const sending = h.client.send(GENERAL, 'hello');
    // Pending at once, before storage answered; not on the wire yet.
    expect(h.state().conversations.general!.pending.map((e) => e.text)).toEqual(['hello']);
    expect(h.state().pendingCount).toBe(1);
    expect(socket.sentOf('send')).toEqual([]);
    const clientMsgId = await sending;
    expect((await storage.loadOutbox()).map((e) => e.clientMsgId)).toEqual([clientMsgId]);
    const send = socket.last('send');
    expect(send).toMatchObject({ conversationId: GENERAL, clientMsgId, text: 'hello' });

    socket.deliver(ack(send.rid, clientMsgId, 1));
    await flushMicrotasks();
    const general = h.state().conversations.general!;
    expect(general.pending).toEqual([]);
    expect(h.state().pendingCount).toBe(0);
    expect(general.timeline.messages).toEqual([
      {
        conversationId: GENERAL,
        seq: 1,
        clientMsgId,
        senderUserId: ALICE,
        senderDeviceId: ALICE_LAPTOP,
        sentAt: 1_700_000_000_001,
        text: 'hello',
      },
    ]);
    expect(general.unreadCount).toBe(0);
    expect(await storage.loadOutbox()).toEqual([]);
    expect(storage.messageCount(GENERAL)).toBe(1);
  });

  it('queues offline; after reconnecting, catches up before resending, then sends the rest in order', async () => {
    const h = makeClient();
    let socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const first = await h.client.send(GENERAL, 'one');
    socket.end(1006);
    const second = await h.client.send(GENERAL, 'two');
    const third = await h.client.send(GENERAL, 'three');
    expect(h.state().status).toBe('reconnecting');
    expect(h.state().pendingCount).toBe(3);

    h.clock.advance(1_000);
    socket = await authenticate(h, ready([conversation({ lastSeq: 1 })]));
    // The conversation is behind: nothing is resent until the catch-up shows what the hub has.
    expect(socket.sentOf('send')).toEqual([]);
    const fetch = socket.last('fetchMessages');
    // The hub had "one" already (its ack was lost): it comes in the catch-up page and is not resent.
    socket.deliver({
      type: 'messages',
      rid: fetch.rid,
      conversationId: GENERAL,
      direction: 'forward',
      messages: [msg(1, { clientMsgId: first, senderUserId: ALICE, senderDeviceId: ALICE_LAPTOP, text: 'one' })],
      hasMore: false,
    });
    await flushMicrotasks();
    const sends = socket.sentOf('send');
    expect(sends.map((f) => f.clientMsgId)).toEqual([second, third]);
    socket.deliver(ack(sends[0]!.rid, second, 2));
    // A duplicate ack (the hub recognised a resend) counts as delivered too.
    socket.deliver(ack(sends[1]!.rid, third, 3, true));
    await flushMicrotasks();
    const general = h.state().conversations.general!;
    expect(general.timeline.messages.map((m) => [m.seq, m.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(h.state().pendingCount).toBe(0);
  });

  it('drops an outbox entry whose message shows up in a catch-up (ack lost), without resending it', async () => {
    const h = makeClient();
    let socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const id = await h.client.send(GENERAL, 'lost ack');
    socket.end(1006);
    h.clock.advance(1_000);
    socket = await authenticate(h, ready([conversation({ lastSeq: 1 })]));
    expect(socket.sentOf('send')).toEqual([]);
    socket.deliver({
      type: 'messages',
      rid: socket.last('fetchMessages').rid,
      conversationId: GENERAL,
      direction: 'forward',
      messages: [msg(1, { clientMsgId: id, senderUserId: ALICE, senderDeviceId: ALICE_LAPTOP, text: 'lost ack' })],
      hasMore: false,
    });
    await flushMicrotasks();
    expect(h.state().pendingCount).toBe(0);
    expect(socket.sentOf('send')).toEqual([]);
    expect(h.state().conversations.general!.timeline.messages).toHaveLength(1);
  });

  it('keeps at most maxInFlight unacknowledged sends, in order', async () => {
    const h = makeClient({ maxInFlight: 2 });
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await h.client.send(GENERAL, `m${i}`));
    expect(socket.sentOf('send').map((f) => f.clientMsgId)).toEqual(ids.slice(0, 2));
    socket.deliver(ack(socket.sentOf('send')[0]!.rid, ids[0]!, 1));
    expect(socket.sentOf('send').map((f) => f.clientMsgId)).toEqual(ids.slice(0, 3));
  });

  it('keeps a message pending after STORAGE_FAILED and retries it later; parks one the hub refuses', async () => {
    const h = makeClient({ backoff: { baseMs: 1_000, maxMs: 10_000 } });
    const socket = await startPaired(
      h,
      ready([conversation({ lastSeq: 0 }), conversation({ id: 'secret', kind: 'group' })]),
    );
    const id = await h.client.send(GENERAL, 'disk full');
    const first = socket.last('send');
    socket.deliver({ type: 'error', rid: first.rid, code: 'STORAGE_FAILED', message: 'disk full', frameType: 'send' });
    expect(h.state().conversations.general!.pending).toMatchObject([
      { clientMsgId: id, status: 'queued', lastError: 'STORAGE_FAILED' },
    ]);
    expect(socket.sentOf('send')).toHaveLength(1);
    h.clock.advance(1_000);
    expect(socket.sentOf('send')).toHaveLength(2);
    socket.deliver(ack(socket.last('send').rid, id, 1));
    expect(h.state().pendingCount).toBe(0);

    const refusedId = await h.client.send('secret', 'not allowed');
    socket.deliver({
      type: 'error',
      rid: socket.last('send').rid,
      code: 'NOT_A_MEMBER',
      message: 'no',
      frameType: 'send',
    });
    expect(h.state().conversations.secret!.pending).toMatchObject([
      { clientMsgId: refusedId, status: 'failed', lastError: 'NOT_A_MEMBER' },
    ]);
    await flushMicrotasks();
    expect((await h.storage.loadOutbox())[0]).toMatchObject({ failedCode: 'NOT_A_MEMBER' });
    h.clock.advance(60_000);
    expect(socket.sentOf('send')).toHaveLength(3);
    h.client.retrySend(refusedId);
    expect(socket.sentOf('send')).toHaveLength(4);
    socket.end(1006);
    expect(h.client.discardPending(refusedId)).toBe(true);
    expect(h.state().pendingCount).toBe(0);
  });

  it('sends an outbox it finds in storage after a restart', async () => {
    const storage = new MemoryStorage();
    const first = makeClient({}, storage);
    await startPaired(first, ready([conversation({ lastSeq: 0 })]));
    first.transport.current.end(1006);
    const id = await first.client.send(GENERAL, 'written offline');
    await first.client.stop();

    const second = makeClient({}, storage);
    await second.client.start();
    expect(second.state().conversations.general!.pending.map((e) => e.clientMsgId)).toEqual([id]);
    const socket = await authenticate(second, ready([conversation({ lastSeq: 0 })]));
    expect(socket.last('send')).toMatchObject({ clientMsgId: id, text: 'written offline' });
  });

  it('sends what was in flight again after stop() and start()', async () => {
    const h = makeClient();
    await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const id = await h.client.send(GENERAL, 'in flight');
    await h.client.stop();
    expect(h.state().conversations.general!.pending).toMatchObject([{ clientMsgId: id, status: 'queued' }]);
    await h.client.start();
    const socket = await authenticate(h, ready([conversation({ lastSeq: 0 })]));
    expect(h.transport.sockets).toHaveLength(2);
    expect(socket.last('send').clientMsgId).toBe(id);
  });

  it('refuses blank, oversized and misaddressed messages up front', async () => {
    const h = makeClient();
    await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    await expect(h.client.send(GENERAL, '   ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // Blank is the hub's whitespace set: an ideographic space is blank, a zero-width space is not.
    await expect(h.client.send(GENERAL, '\u3000')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await h.client.send(GENERAL, '\u200B');
    await expect(h.client.send(GENERAL, 'x'.repeat(4001))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.client.send('nowhere', 'hi')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(h.state().pendingCount).toBe(1);
  });

  it('counts the length limit in code points, as the hub does: an emoji is one character', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const emoji = '\u{1F600}'; // one code point, two UTF-16 code units
    const max = LIMITS.maxTextLength;
    const atLimit = emoji.repeat(max);
    expect(atLimit.length).toBe(2 * max);
    // The fake hub parses what it receives with the protocol's schema, so this also shows the hub takes it.
    const id = await h.client.send(GENERAL, atLimit);
    expect(socket.last('send')).toMatchObject({ clientMsgId: id, text: atLimit });
    await h.client.send(GENERAL, 'x'.repeat(max - 1) + emoji);
    expect(socket.sentOf('send')).toHaveLength(2);

    await expect(h.client.send(GENERAL, atLimit + emoji)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `A message may be at most ${max} characters; this one has ${max + 1}.`,
    });
    await expect(h.client.send(GENERAL, 'x'.repeat(max) + emoji)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(h.state().pendingCount).toBe(2);
  });

  it('still sends when storage cannot be written, and says so', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    h.storage.failWrites = true;
    await h.client.send(GENERAL, 'from memory');
    expect(socket.sentOf('send')).toHaveLength(1);
    expect(h.warnings.some((w) => w.code === 'STORAGE_FAILED')).toBe(true);
  });
});
