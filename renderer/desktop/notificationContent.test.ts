import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import type { ConversationState, RoostState } from '../../shared/sync';
import { INITIAL_STATE } from '../../shared/sync/clientState';
import { clip, incomingNotifications, totalUnread } from './notificationContent';

const ME = 'u-me';
const BOB = 'u-bob';
const CLEO = 'u-cleo';

function message(seq: number, senderUserId: string, text = `message ${seq}`): MessageWire {
  return { conversationId: 'general', seq, clientMsgId: `c${seq}`, senderUserId, senderDeviceId: `${senderUserId}-d`, sentAt: seq, text };
}

function conversation(id: string, messages: MessageWire[], extra: Partial<ConversationState> = {}): ConversationState {
  const cursor = messages.at(-1)?.seq ?? 0;
  return {
    id,
    kind: 'group',
    name: id === 'general' ? 'General' : id,
    memberUserIds: [ME, BOB, CLEO],
    createdAt: 0,
    lastSeq: cursor,
    receipts: {},
    timeline: { messages, cursor, reachedStart: true, buffered: [] },
    pending: [],
    readSeq: 0,
    unreadCount: 0,
    hasOlder: false,
    typing: [],
    syncing: false,
    loadingOlder: false,
    ...extra,
  };
}

function state(conversations: ConversationState[], self: RoostState['self'] = { userId: ME, deviceId: 'd-me' }): RoostState {
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
    expect(incomingNotifications(before, after)).toEqual([{ conversationId: 'general', title: 'Bob in General', body: 'Walk at 10?' }]);
  });

  it('uses only the sender name for a direct conversation', () => {
    const direct = (msgs: MessageWire[]) => conversation('dm1', msgs, { kind: 'direct', name: '', memberUserIds: [ME, CLEO] });
    const out = incomingNotifications(state([direct([])]), state([direct([message(1, CLEO, 'hi')])]));
    expect(out).toEqual([{ conversationId: 'dm1', title: 'Cleo', body: 'hi' }]);
  });

  it('stays quiet for the own messages, sent from any of the own devices', () => {
    const before = state([conversation('general', [])]);
    const after = state([conversation('general', [message(1, ME)])]);
    expect(incomingNotifications(before, after)).toEqual([]);
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

describe('total unread', () => {
  it('adds every conversation up', () => {
    expect(totalUnread(state([conversation('a', [], { unreadCount: 2 }), conversation('b', [], { unreadCount: 5 })]))).toBe(7);
    expect(totalUnread(state([]))).toBe(0);
  });
});

describe('clip', () => {
  it('collapses whitespace and shortens with an ellipsis', () => {
    expect(clip('  a\n\nb  ', 10)).toBe('a b');
    expect(clip('abcdefghij', 5)).toBe('abcd…');
  });
});
