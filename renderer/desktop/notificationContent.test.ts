import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import type { NotificationRequest } from '../../shared/desktop';
import type { ConversationState, RoostState } from '../../shared/sync';
import { conversationState } from '../../shared/sync/testing/fixtures';
import { INITIAL_STATE } from '../../shared/sync/clientState';
import { clip, NOTHING_HELD, stepNotifications, totalUnread, type HeldNotifications } from './notificationContent';

/** One change with nothing held and no catch-up running: the rules for live messages. */
const incomingNotifications = (prev: RoostState, next: RoostState) =>
  stepNotifications(NOTHING_HELD, prev, next).notifications;

const ME = 'u-me';
const BOB = 'u-bob';
const CLEO = 'u-cleo';

function message(seq: number, senderUserId: string, text = `message ${seq}`, conversationId = 'general'): MessageWire {
  return {
    conversationId,
    seq,
    clientMsgId: `c${seq}`,
    senderUserId,
    senderDeviceId: `${senderUserId}-d`,
    sentAt: seq,
    text,
  };
}

function conversation(id: string, messages: MessageWire[], extra: Partial<ConversationState> = {}): ConversationState {
  return conversationState(
    {
      id,
      kind: 'group',
      name: id === 'general' ? 'General' : id,
      memberUserIds: [ME, BOB, CLEO],
      createdAt: 0,
      ...extra,
    },
    messages,
  );
}

function state(
  conversations: ConversationState[],
  self: RoostState['self'] = { userId: ME, deviceId: 'd-me' },
): RoostState {
  return {
    ...INITIAL_STATE,
    status: 'connected',
    session: { phase: 'paired' },
    self,
    users: {
      [ME]: { id: ME, displayName: 'Ann', online: true } as never,
      [BOB]: { id: BOB, displayName: 'Bob', online: true } as never,
      [CLEO]: { id: CLEO, displayName: 'Cleo', online: true } as never,
    },
    conversations: Object.fromEntries(conversations.map((c) => [c.id, c])),
  };
}

describe('incoming notifications', () => {
  it('names the sender and the room for a new message in a group', () => {
    const before = state([conversation('general', [message(1, BOB)])]);
    const after = state([conversation('general', [message(1, BOB), message(2, BOB, 'Walk at 10?')])]);
    expect(incomingNotifications(before, after)).toEqual([
      { conversationId: 'general', title: 'Bob in General', body: 'Walk at 10?' },
    ]);
  });

  it('says what a message of files alone carries', () => {
    const photo = { sha256: 'a'.repeat(64), name: 'Beach.png', size: 9, type: 'image/png' };
    const withFile = { ...message(2, BOB, ''), attachments: [photo] };
    const before = state([conversation('general', [message(1, BOB)])]);
    const after = state([conversation('general', [message(1, BOB), withFile])]);
    expect(incomingNotifications(before, after)).toEqual([
      { conversationId: 'general', title: 'Bob in General', body: '📎 Beach.png' },
    ]);
  });

  it('uses only the sender name for a direct conversation', () => {
    const direct = (msgs: MessageWire[]) =>
      conversation('dm1', msgs, { kind: 'direct', name: '', memberUserIds: [ME, CLEO] });
    const out = incomingNotifications(state([direct([])]), state([direct([message(1, CLEO, 'hi')])]));
    expect(out).toEqual([{ conversationId: 'dm1', title: 'Cleo', body: 'hi' }]);
  });

  it('stays quiet for the own messages, sent from any of the own devices', () => {
    const before = state([conversation('general', [])]);
    const after = state([conversation('general', [message(1, ME)])]);
    expect(incomingNotifications(before, after)).toEqual([]);
  });

  it('stays quiet for the messages of a blocked user, even when a catch-up brings them', () => {
    const before = { ...state([conversation('general', [])]), blockedUserIds: [BOB] };
    const after = { ...state([conversation('general', [message(1, BOB), message(2, CLEO)])]), blockedUserIds: [BOB] };
    expect(incomingNotifications(before, after).map((n) => n.body)).toEqual(['message 2']);
  });

  it('stays quiet for messages already read elsewhere', () => {
    const before = state([conversation('general', [])]);
    const after = state([conversation('general', [message(1, BOB)], { readSeq: 1 })]);
    expect(incomingNotifications(before, after)).toEqual([]);
  });

  it('stays quiet until the account is known (cache load, first catch-up)', () => {
    const before = { ...state([]), self: undefined };
    const after = state([conversation('general', [message(1, BOB), message(2, CLEO)])]);
    expect(incomingNotifications(before, after)).toEqual([]);
  });

  it('ignores older messages loaded by scrolling back', () => {
    const before = state([conversation('general', [message(5, BOB)])]);
    const older = conversation('general', [message(3, BOB), message(4, BOB), message(5, BOB)]);
    expect(incomingNotifications(before, state([older]))).toEqual([]);
  });

  it('summarises a burst (a catch-up after being offline) in one notification', () => {
    const before = state([conversation('general', [])]);
    const burst = [1, 2, 3, 4, 5].map((seq) => message(seq, seq % 2 ? BOB : CLEO));
    const out = incomingNotifications(before, state([conversation('general', burst)]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ conversationId: 'general', title: 'General' });
    expect(out[0]!.body).toBe('5 new messages from Bob and Cleo. Latest: message 5');
  });

  it('notifies for a conversation that is new to this device', () => {
    const out = incomingNotifications(state([]), state([conversation('walks', [message(1, BOB, 'Join?')])]));
    expect(out).toEqual([{ conversationId: 'walks', title: 'Bob in walks', body: 'Join?' }]);
  });
});

/** Runs states through stepNotifications as the hook does, collecting what is sent after each change. */
function run(states: RoostState[]): NotificationRequest[][] {
  let held: HeldNotifications = NOTHING_HELD;
  const sent: NotificationRequest[][] = [];
  for (let i = 1; i < states.length; i++) {
    const step = stepNotifications(held, states[i - 1]!, states[i]!);
    held = step.held;
    sent.push(step.notifications);
  }
  return sent;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('notification bursts (stepNotifications)', () => {
  it('notifies a live single message at once', () => {
    const sent = run([
      state([conversation('general', [message(1, BOB)])]),
      state([conversation('general', [message(1, BOB), message(2, BOB, 'Walk at 10?')])]),
    ]);
    expect(sent).toEqual([[{ conversationId: 'general', title: 'Bob in General', body: 'Walk at 10?' }]]);
  });

  it('sends one summary when several conversations get new messages in one change', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const before = state(ids.map((id) => conversation(id, [])));
    // Each conversation gets 2 messages; "d" has the newest one.
    const after = state(
      ids.map((id, i) =>
        conversation(id, [
          message(1, BOB, 'x', id),
          { ...message(2, i % 2 ? CLEO : BOB, 'y', id), sentAt: id === 'd' ? 99 : 10 + i },
        ]),
      ),
    );
    const [out] = run([before, after]);
    expect(out).toEqual([
      { conversationId: 'd', title: 'Roost', body: '10 new messages in 5 conversations: d, e and 3 more' },
    ]);
  });

  it('names direct conversations by their sender in the summary', () => {
    const dm = (msgs: MessageWire[]) =>
      conversation('dm1', msgs, { kind: 'direct', name: '', memberUserIds: [ME, CLEO] });
    const [out] = run([
      state([dm([]), conversation('general', [])]),
      state([dm([{ ...message(1, CLEO, 'hi', 'dm1'), sentAt: 50 }]), conversation('general', [message(1, BOB)])]),
    ]);
    expect(out).toEqual([
      { conversationId: 'dm1', title: 'Roost', body: '2 new messages in 2 conversations: Cleo and General' },
    ]);
  });

  it('holds a catch-up across several pages and sends one summary once syncing ends', () => {
    const offline = { ...state([conversation('general', [])]), status: 'reconnecting' as const };
    const ready = state([conversation('general', [], { lastSeq: 600 })]);
    const page = (to: number, syncing: boolean) =>
      state([
        conversation(
          'general',
          range(1, to).map((seq) => message(seq, BOB)),
          { lastSeq: 600, syncing },
        ),
      ]);
    const sent = run([
      offline,
      ready,
      page(0, true),
      page(200, true),
      page(400, true),
      page(600, true),
      page(600, false),
    ]);
    expect(sent.slice(0, -1).flat()).toEqual([]);
    expect(sent.at(-1)).toEqual([
      { conversationId: 'general', title: 'General', body: '600 new messages from Bob. Latest: message 600' },
    ]);
  });

  it('coalesces a catch-up over several conversations, including live pushes meanwhile, into one summary', () => {
    const ids = range(1, 30).map((n) => `c${n}`);
    const before = { ...state(ids.map((id) => conversation(id, []))), status: 'connecting' as const };
    const syncing = state(ids.map((id) => conversation(id, [], { syncing: true })));
    const filled = state(
      ids.map((id, i) => conversation(id, [{ ...message(1, BOB, 'x', id), sentAt: i }], { syncing: i !== 0 })),
    );
    const done = state(ids.map((id, i) => conversation(id, [{ ...message(1, BOB, 'x', id), sentAt: i }])));
    const sent = run([before, syncing, filled, done]);
    expect(sent.flat()).toEqual([
      { conversationId: 'c30', title: 'Roost', body: '30 new messages in 30 conversations: c30, c29 and 28 more' },
    ]);
  });

  it('keeps per-message notifications when a catch-up brings at most 3 messages in one conversation', () => {
    const base = (msgs: MessageWire[], syncing: boolean) => state([conversation('general', msgs, { syncing })]);
    const sent = run([
      base([], false),
      base([], true),
      base([message(1, BOB, 'hi')], true),
      base([message(1, BOB, 'hi')], false),
    ]);
    expect(sent).toEqual([[], [], [{ conversationId: 'general', title: 'Bob in General', body: 'hi' }]]);
  });

  it('drops held messages that were read elsewhere before the catch-up ended', () => {
    const base = (msgs: MessageWire[], syncing: boolean, readSeq = 0) =>
      state([conversation('general', msgs, { syncing, readSeq })]);
    const msgs = range(1, 5).map((seq) => message(seq, BOB));
    expect(run([base([], true), base(msgs, true), base(msgs, false, 5)]).flat()).toEqual([]);
  });

  it('never notifies the own messages, live or caught up', () => {
    const base = (msgs: MessageWire[], syncing: boolean) =>
      state([conversation('general', msgs, { syncing }), conversation('b', [])]);
    const own = range(1, 10).map((seq) => message(seq, ME));
    expect(run([base([], false), base([message(1, ME)], false)]).flat()).toEqual([]);
    expect(run([base([], false), base([], true), base(own, true), base(own, false)]).flat()).toEqual([]);
  });

  it('stays quiet and holds nothing before the account is known', () => {
    const before = { ...state([conversation('general', [])]), self: undefined, status: 'connecting' as const };
    const step = stepNotifications(
      NOTHING_HELD,
      before,
      state([conversation('general', [message(1, BOB)], { syncing: true })]),
    );
    expect(step).toEqual({ held: NOTHING_HELD, notifications: [] });
  });
});

describe('total unread', () => {
  it('adds every conversation up', () => {
    expect(
      totalUnread(state([conversation('a', [], { unreadCount: 2 }), conversation('b', [], { unreadCount: 5 })])),
    ).toBe(7);
    expect(totalUnread(state([]))).toBe(0);
  });
});

describe('clip', () => {
  it('collapses whitespace and shortens with an ellipsis', () => {
    expect(clip('  a\n\nb  ', 10)).toBe('a b');
    expect(clip('abcdefghij', 5)).toBe('abcd…');
  });
});
