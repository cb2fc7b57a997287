import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../protocol';
import { MemoryStorage } from './MemoryStorage';
import { answerFetch, authenticate, flushMicrotasks, makeClient, startPaired } from './testing/clientHarness';
import { ALICE, BOB, GENERAL, conversation, msg, msgs, ready } from './testing/fixtures';

const seqsOf = (messages: readonly MessageWire[]) => messages.map((m) => m.seq);

describe('RoostClient: catch-up, live messages, cache, history', () => {
  it('catches up page by page from its cursor, merging live messages that arrive meanwhile, each once', async () => {
    const h = makeClient({ sync: { pageSize: 20 } });
    const socket = await startPaired(h, ready([conversation({ lastSeq: 45 })]));
    expect(socket.last('fetchMessages')).toMatchObject({
      conversationId: GENERAL,
      direction: 'forward',
      cursor: 0,
      limit: 20,
    });
    // Live messages beyond the cursor wait in the buffer instead of opening a gap.
    socket.deliver({ type: 'message', message: msg(46) });
    socket.deliver({ type: 'message', message: msg(47) });
    expect(h.state().conversations.general!.timeline.messages).toEqual([]);
    expect(h.state().conversations.general!.syncing).toBe(true);

    answerFetch(socket, msgs(1, 20), true);
    await flushMicrotasks();
    expect(socket.last('fetchMessages').cursor).toBe(20);
    answerFetch(socket, msgs(21, 40), true);
    await flushMicrotasks();
    answerFetch(socket, msgs(41, 46), false);
    await flushMicrotasks();

    const general = h.state().conversations.general!;
    expect(seqsOf(general.timeline.messages)).toEqual(seqsOf(msgs(1, 47)));
    expect(general.timeline.cursor).toBe(47);
    expect(general.syncing).toBe(false);
    expect(socket.sentOf('fetchMessages')).toHaveLength(3);
    expect(h.storage.messageCount(GENERAL)).toBe(47);
  });

  it('keeps paging while the hub says it has more, even past the lastSeq it announced', async () => {
    const h = makeClient({ sync: { pageSize: 5 } });
    const socket = await startPaired(h, ready([conversation({ lastSeq: 5 })]));
    answerFetch(socket, msgs(1, 5), true);
    await flushMicrotasks();
    expect(socket.last('fetchMessages').cursor).toBe(5);
    answerFetch(socket, msgs(6, 7), false);
    await flushMicrotasks();
    expect(h.state().conversations.general!.timeline.cursor).toBe(7);
    expect(socket.sentOf('fetchMessages')).toHaveLength(2);
  });

  it('stops at hasMore=false even below the announced lastSeq; the rest arrives as pushes', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 4 })]));
    // Seq 4 is still being written: the page ends at 3.
    answerFetch(socket, msgs(1, 3), false);
    await flushMicrotasks();
    expect(socket.sentOf('fetchMessages')).toHaveLength(1);
    expect(h.state().conversations.general!).toMatchObject({ syncing: false, lastSeq: 3, unreadCount: 3 });
    socket.deliver({ type: 'message', message: msg(4) });
    expect(seqsOf(h.state().conversations.general!.timeline.messages)).toEqual([1, 2, 3, 4]);
    expect(socket.sentOf('fetchMessages')).toHaveLength(1);
    expect(h.warnings).toEqual([]);
  });

  it('drops what lies beyond the lastSeq of a hub restored from an older copy', async () => {
    const h = makeClient();
    let socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    for (const m of msgs(1, 6)) socket.deliver({ type: 'message', message: m });
    socket.end(1006);
    h.clock.advance(1_000);
    socket = await authenticate(h, ready([conversation({ lastSeq: 4 })]));
    expect(seqsOf(h.state().conversations.general!.timeline.messages)).toEqual([1, 2, 3, 4]);
    expect(h.warnings.map((w) => w.code)).toEqual(['HUB_RESTORED']);
    socket.deliver({ type: 'message', message: msg(5, { text: 'the new five' }) });
    expect(h.state().conversations.general!.timeline.messages.at(-1)!.text).toBe('the new five');
    await h.client.stop();
    expect(await h.storage.loadRange(GENERAL)).toEqual({ cursor: 5, reachedStart: false });
  });

  it('fills a gap opened by a live message with a fetch, and skips seqs the hub does not have', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    expect(socket.sentOf('fetchMessages')).toEqual([]);
    socket.deliver({ type: 'message', message: msg(1) });
    socket.deliver({ type: 'message', message: msg(3) });
    expect(socket.last('fetchMessages')).toMatchObject({ direction: 'forward', cursor: 1 });
    answerFetch(socket, [msg(2), msg(3)]);
    await flushMicrotasks();
    expect(seqsOf(h.state().conversations.general!.timeline.messages)).toEqual([1, 2, 3]);

    // The hub has no seq 4: two empty answers, then the client moves on.
    socket.deliver({ type: 'message', message: msg(5) });
    answerFetch(socket, []);
    await flushMicrotasks();
    answerFetch(socket, []);
    await flushMicrotasks();
    expect(seqsOf(h.state().conversations.general!.timeline.messages)).toEqual([1, 2, 3, 5]);
    expect(h.warnings.map((w) => w.code)).toContain('GAP_SKIPPED');
  });

  it('resumes from its cursor after a reconnect, asking only for what it missed', async () => {
    const h = makeClient();
    let socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    for (const m of msgs(1, 3)) socket.deliver({ type: 'message', message: m });
    socket.end(1006);
    h.clock.advance(1_000);
    socket = await authenticate(h, ready([conversation({ lastSeq: 8 })]));
    expect(socket.last('fetchMessages')).toMatchObject({ direction: 'forward', cursor: 3 });
    answerFetch(socket, msgs(2, 8));
    await flushMicrotasks();
    expect(seqsOf(h.state().conversations.general!.timeline.messages)).toEqual(seqsOf(msgs(1, 8)));
  });

  it('shows cached conversations and history at once on a new client, before the hub answers', async () => {
    const storage = new MemoryStorage();
    const first = makeClient({}, storage);
    const socket = await startPaired(first, ready([conversation({ lastSeq: 0 })]));
    for (const m of msgs(1, 5)) socket.deliver({ type: 'message', message: m });
    first.client.markRead(GENERAL);
    await first.client.stop();

    const second = makeClient({}, storage);
    await second.client.start();
    const state = second.state();
    expect(state.status).toBe('connecting');
    expect(state.session).toEqual({ phase: 'paired' });
    expect(state.self?.userId).toBe(ALICE);
    expect(state.users[BOB]?.displayName).toBe('Bob');
    expect(seqsOf(state.conversations.general!.timeline.messages)).toEqual([1, 2, 3, 4, 5]);
    expect(state.conversations.general!.unreadCount).toBe(0);
    expect(second.transport.current.sent).toEqual([]);
  });

  it('opens a never-loaded conversation at its newest messages, scrolls back via the hub, then storage', async () => {
    const storage = new MemoryStorage();
    const h = makeClient({ sync: { initialHistory: 10, olderPageSize: 5 } }, storage);
    const socket = await startPaired(h, ready([conversation({ lastSeq: 100 })]));
    expect(socket.last('fetchMessages')).toMatchObject({ direction: 'backward', cursor: 101, limit: 10 });
    answerFetch(socket, msgs(91, 100), true);
    await flushMicrotasks();
    let general = h.state().conversations.general!;
    expect(seqsOf(general.timeline.messages)).toEqual(seqsOf(msgs(91, 100)));
    expect(general).toMatchObject({ hasOlder: true, unreadCount: 100 });
    // Then forward from the window's end until the hub has no more.
    expect(socket.last('fetchMessages')).toMatchObject({ direction: 'forward', cursor: 100 });
    answerFetch(socket, [], false);
    await flushMicrotasks();
    expect(h.state().conversations.general!.syncing).toBe(false);
    expect(socket.sentOf('fetchMessages')).toHaveLength(2);

    const older = h.client.loadOlder(GENERAL);
    await flushMicrotasks();
    expect(h.state().conversations.general!.loadingOlder).toBe(true);
    expect(socket.last('fetchMessages')).toMatchObject({ direction: 'backward', cursor: 91, limit: 5 });
    answerFetch(socket, msgs(86, 90), true);
    await expect(older).resolves.toBe(5);
    general = h.state().conversations.general!;
    expect(seqsOf(general.timeline.messages)[0]).toBe(86);
    expect(general.loadingOlder).toBe(false);
    await h.client.stop();

    // A new client shows the newest 3 from storage and scrolls back through storage before asking the hub.
    const again = makeClient({ cachedMessagesPerConversation: 3, sync: { olderPageSize: 5 } }, storage);
    await again.client.start();
    expect(seqsOf(again.state().conversations.general!.timeline.messages)).toEqual([98, 99, 100]);
    await expect(again.client.loadOlder(GENERAL)).resolves.toBe(5);
    expect(seqsOf(again.state().conversations.general!.timeline.messages)[0]).toBe(93);
    expect(again.transport.current.sent).toEqual([]);
  });

  it('counts unread messages, marks them read, and follows reads made on other devices', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    for (const m of msgs(1, 4)) socket.deliver({ type: 'message', message: m });
    socket.deliver({
      type: 'message',
      message: msg(5, { senderUserId: ALICE, senderDeviceId: 'devA2', clientMsgId: 'from-my-phone' }),
    });
    expect(h.state().conversations.general!.unreadCount).toBe(4);

    h.client.markRead(GENERAL);
    // Shown at once, sent coalesced.
    expect(h.state().conversations.general!.unreadCount).toBe(0);
    h.client.markRead(GENERAL);
    h.clock.advance(500);
    expect(socket.sentOf('markRead')).toEqual([{ type: 'markRead', conversationId: GENERAL, seq: 5 }]);
    // Reading implies delivery: no separate markDelivered for the same seq.
    expect(socket.sentOf('markDelivered')).toEqual([]);

    socket.deliver({ type: 'message', message: msg(6) });
    socket.deliver({ type: 'message', message: msg(7) });
    expect(h.state().conversations.general!.unreadCount).toBe(2);
    // Read on the phone: the hub's receipt for the own user clears it here too.
    socket.deliver({
      type: 'receipt',
      conversationId: GENERAL,
      receipt: { userId: ALICE, deliveredSeq: 7, readSeq: 7 },
    });
    expect(h.state().conversations.general!).toMatchObject({ unreadCount: 0, readSeq: 7 });
    // A stale receipt never lowers it.
    socket.deliver({
      type: 'receipt',
      conversationId: GENERAL,
      receipt: { userId: ALICE, deliveredSeq: 1, readSeq: 1 },
    });
    expect(h.state().conversations.general!.readSeq).toBe(7);
  });

  it('sends read marks made offline once it is back', async () => {
    const h = makeClient();
    let socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    for (const m of msgs(1, 3)) socket.deliver({ type: 'message', message: m });
    socket.end(1006);
    h.client.markRead(GENERAL);
    expect(h.state().conversations.general!.unreadCount).toBe(0);
    h.clock.advance(1_000);
    socket = await authenticate(h, ready([conversation({ lastSeq: 3 })]));
    h.clock.advance(500);
    expect(socket.last('markRead')).toMatchObject({ seq: 3 });
    expect(h.state().conversations.general!.unreadCount).toBe(0);
    // Once the hub confirms it, a later ready does not make it send again.
    socket.deliver({
      type: 'receipt',
      conversationId: GENERAL,
      receipt: { userId: ALICE, deliveredSeq: 3, readSeq: 3 },
    });
    socket.end(1006);
    h.clock.advance(1_000);
    const again = await authenticate(
      h,
      ready([conversation({ lastSeq: 3, receipts: [{ userId: ALICE, deliveredSeq: 3, readSeq: 3 }] })]),
    );
    h.clock.advance(500);
    expect(again.sentOf('markRead')).toEqual([]);
    expect(again.sentOf('markDelivered')).toEqual([]);
  });

  it('coalesces markDelivered: one frame per conversation with the newest seq', async () => {
    const h = makeClient({ sync: { markDelayMs: 250 } });
    const socket = await startPaired(
      h,
      ready([conversation({ lastSeq: 0 }), conversation({ id: 'team', kind: 'group', lastSeq: 0 })]),
    );
    for (const m of msgs(1, 10)) socket.deliver({ type: 'message', message: m });
    socket.deliver({ type: 'message', message: msg(1, { conversationId: 'team' }) });
    expect(socket.sentOf('markDelivered')).toEqual([]);
    h.clock.advance(250);
    expect(socket.sentOf('markDelivered').map((f) => [f.conversationId, f.seq])).toEqual([
      [GENERAL, 10],
      ['team', 1],
    ]);
    h.clock.advance(1_000);
    expect(socket.sentOf('markDelivered')).toHaveLength(2);
  });

  it('shows who is typing and lets it expire', async () => {
    const h = makeClient({ typingTimeoutMs: 5_000, typingThrottleMs: 3_000 });
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    socket.deliver({ type: 'typing', conversationId: GENERAL, userId: BOB, deviceId: 'devB1' });
    socket.deliver({ type: 'typing', conversationId: GENERAL, userId: ALICE, deviceId: 'devA2' });
    expect(h.state().conversations.general!.typing.map((t) => t.userId)).toEqual([BOB]);
    h.clock.advance(4_000);
    socket.deliver({ type: 'typing', conversationId: GENERAL, userId: BOB, deviceId: 'devB1' });
    h.clock.advance(4_000);
    expect(h.state().conversations.general!.typing).toHaveLength(1);
    h.clock.advance(1_000);
    expect(h.state().conversations.general!.typing).toEqual([]);
    // A message from a typing user ends the indicator at once.
    socket.deliver({ type: 'typing', conversationId: GENERAL, userId: BOB, deviceId: 'devB1' });
    socket.deliver({ type: 'message', message: msg(1) });
    expect(h.state().conversations.general!.typing).toEqual([]);

    h.client.notifyTyping(GENERAL);
    h.client.notifyTyping(GENERAL);
    expect(socket.sentOf('typing')).toHaveLength(1);
    h.clock.advance(3_000);
    h.client.notifyTyping(GENERAL);
    expect(socket.sentOf('typing')).toHaveLength(2);
  });

  it('follows users, presence, devices and new conversations', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    socket.deliver({ type: 'presence', userId: BOB, online: true });
    socket.deliver({ type: 'user', user: { id: 'userC', displayName: 'Carol', online: true } });
    socket.deliver({ type: 'devices', devices: [] });
    socket.deliver({
      type: 'conversation',
      conversation: conversation({ id: 'dm', kind: 'direct', name: '', memberUserIds: [ALICE, BOB], lastSeq: 2 }),
    });
    const state = h.state();
    expect(state.users[BOB]?.online).toBe(true);
    expect(state.users.userC?.displayName).toBe('Carol');
    expect(state.devices).toEqual([]);
    expect(state.conversations.dm?.unreadCount).toBe(2);
    expect(socket.last('fetchMessages')).toMatchObject({ conversationId: 'dm', cursor: 0 });
  });
});
