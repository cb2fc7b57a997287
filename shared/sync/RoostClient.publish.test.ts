import { describe, expect, it } from 'vitest';
import type { RoostState } from './clientState';
import {
  answerFetch,
  authenticate,
  flushMicrotasks,
  makeClient,
  startPaired,
  welcome,
  type Harness,
} from './testing/clientHarness';
import { ALICE, ALICE_LAPTOP, BOB, GENERAL, conversation, msg, msgs, ready } from './testing/fixtures';

/** Records every state the client publishes (what a useSyncExternalStore subscriber sees). */
function recordPublishes(h: Harness): { states: RoostState[]; count(): number; reset(): void } {
  const states: RoostState[] = [];
  h.client.subscribe(() => states.push(h.client.getState()));
  return { states, count: () => states.length, reset: () => void states.splice(0) };
}

describe('RoostClient: one state publish per event', () => {
  it('publishes once for an incoming message, with everything it changed', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    socket.deliver({ type: 'typing', conversationId: GENERAL, userId: BOB, deviceId: 'devB1' });
    const published = recordPublishes(h);

    // Raises lastSeq, ends Bob's typing indicator, joins the timeline, counts as unread: one change.
    socket.deliver({ type: 'message', message: msg(1) });
    expect(published.count()).toBe(1);
    expect(published.states[0]!.conversations.general).toMatchObject({ lastSeq: 1, typing: [], unreadCount: 1 });
    expect(published.states[0]!.conversations.general!.timeline.messages).toEqual([msg(1)]);

    // A message beyond a gap also starts the catch-up (syncing) in the same change.
    published.reset();
    socket.deliver({ type: 'message', message: msg(3) });
    expect(published.count()).toBe(1);
    expect(published.states[0]!.conversations.general).toMatchObject({ lastSeq: 3, syncing: true });
    expect(socket.last('fetchMessages')).toMatchObject({ cursor: 1 });
  });

  it('publishes once for an ack: the message leaves the outbox, joins the timeline, the next goes', async () => {
    const h = makeClient({ maxInFlight: 1 });
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const first = await h.client.send(GENERAL, 'one');
    const second = await h.client.send(GENERAL, 'two');
    expect(socket.sentOf('send').map((f) => f.clientMsgId)).toEqual([first]);
    const published = recordPublishes(h);

    const rid = socket.last('send').rid;
    socket.deliver({
      type: 'ack',
      rid,
      conversationId: GENERAL,
      clientMsgId: first,
      seq: 1,
      sentAt: 5,
      duplicate: false,
    });
    expect(published.count()).toBe(1);
    const general = published.states[0]!.conversations.general!;
    expect(general.timeline.messages).toMatchObject([
      { seq: 1, clientMsgId: first, senderUserId: ALICE, senderDeviceId: ALICE_LAPTOP },
    ]);
    expect(general.pending).toMatchObject([{ clientMsgId: second, status: 'sending' }]);
    expect(socket.sentOf('send').map((f) => f.clientMsgId)).toEqual([first, second]);
  });

  it('publishes once for `ready` with catch-up, and once for each page that answers it', async () => {
    const h = makeClient({ sync: { pageSize: 5 } });
    let socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    socket.end(1006);
    const queued = await h.client.send(GENERAL, 'written offline');
    h.clock.advance(1_000);
    socket = h.transport.current;
    welcome(socket);
    // The client signs the challenge before it sends `auth`.
    await flushMicrotasks();
    const published = recordPublishes(h);

    // Connected, the hub's view taken, the conversation catching up, and the outbox held back for it: one change.
    socket.deliver({ ...ready([conversation({ lastSeq: 7 })]), rid: socket.last('auth').rid });
    expect(published.count()).toBe(1);
    expect(published.states[0]).toMatchObject({ status: 'connected', reconnect: undefined });
    expect(published.states[0]!.conversations.general).toMatchObject({ lastSeq: 7, syncing: true });
    expect(published.states[0]!.outbox).toMatchObject([{ clientMsgId: queued, status: 'queued' }]);
    expect(socket.sentOf('send')).toEqual([]);

    // A page with more to come: one change, and the next request.
    published.reset();
    answerFetch(socket, msgs(1, 5), true);
    await flushMicrotasks();
    expect(published.count()).toBe(1);
    expect(published.states[0]!.conversations.general!.timeline.cursor).toBe(5);
    expect(socket.last('fetchMessages')).toMatchObject({ cursor: 5 });

    // The last page: merged, no longer syncing, and the held message sent, in one change.
    published.reset();
    answerFetch(socket, msgs(6, 7), false);
    await flushMicrotasks();
    expect(published.count()).toBe(1);
    expect(published.states[0]!.conversations.general).toMatchObject({ syncing: false, unreadCount: 7 });
    expect(published.states[0]!.outbox).toMatchObject([{ clientMsgId: queued, status: 'sending' }]);
    expect(socket.last('send').clientMsgId).toBe(queued);
  });

  it('publishes once for a lost connection and once per call that changes the state', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    for (const m of msgs(1, 3)) socket.deliver({ type: 'message', message: m });
    const published = recordPublishes(h);

    h.client.markRead(GENERAL);
    expect(published.count()).toBe(1);
    h.client.markRead(GENERAL);
    expect(published.count()).toBe(1);

    published.reset();
    socket.end(1006);
    expect(published.count()).toBe(1);
    expect(published.states[0]).toMatchObject({ status: 'reconnecting' });
    h.clock.advance(1_000);
    published.reset();
    await authenticate(h, ready([conversation({ lastSeq: 3 })]));
    // One for welcome (the hub's info), one for ready.
    expect(published.states.map((s) => s.status)).toEqual(['reconnecting', 'connected']);
  });
});
