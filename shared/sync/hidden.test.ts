import { describe, expect, it } from 'vitest';
import { applyBlocks, applyReady, dropConversation, withOutbox, INITIAL_STATE, type RoostState } from './clientState';
import { timelineFromStored } from './conversationTimeline';
import { hiddenSenders, isHiddenMessage, visibleMessages } from './hidden';
import { newEntry } from './outbox';
import { ALICE, BOB, GENERAL, conversation, msg, ready } from './testing/fixtures';
import { unreadCount } from './unread';

const CAROL = 'userC';
const fromCarol = (seq: number) => msg(seq, { senderUserId: CAROL, senderDeviceId: 'devC1' });

/** Alice's state with General holding Bob's 1 and 3 and Carol's 2, nothing read. */
function withHistory(blockedUserIds: string[] = []): RoostState {
  let state = applyReady(INITIAL_STATE, { ...ready([conversation({ lastSeq: 3 })]), blockedUserIds });
  const messages = [msg(1), fromCarol(2), msg(3)];
  state = {
    ...state,
    conversations: {
      [GENERAL]: { ...state.conversations[GENERAL]!, timeline: timelineFromStored(messages, 3, true) },
    },
  };
  return applyBlocks(state, state.blockedUserIds);
}

describe('hidden messages (users the own user blocks)', () => {
  it('are left out of what is shown, and of the unread count', () => {
    const state = withHistory([BOB]);
    const messages = state.conversations[GENERAL]!.timeline.messages;
    expect(visibleMessages(state, messages).map((m) => m.seq)).toEqual([2]);
    expect(isHiddenMessage(state, messages[0]!)).toBe(true);
    expect(state.conversations[GENERAL]!.unreadCount).toBe(1);
    expect(unreadCount(state.conversations[GENERAL]!.timeline, 3, 0, ALICE, new Set([BOB, CAROL]))).toBe(0);
  });

  it('come back, and count, once unblocked; nothing hidden gives the same array', () => {
    const blocked = withHistory([BOB]);
    const unblocked = applyBlocks(blocked, []);
    expect(unblocked.conversations[GENERAL]!.unreadCount).toBe(3);
    const messages = unblocked.conversations[GENERAL]!.timeline.messages;
    expect(visibleMessages(unblocked, messages)).toBe(messages);
    expect(hiddenSenders(unblocked).size).toBe(0);
  });

  it('blocking someone ends their typing indicator', () => {
    const state = withHistory();
    const typing = { userId: BOB, deviceId: 'devB1', expiresAt: Number.MAX_SAFE_INTEGER };
    const c = state.conversations[GENERAL]!;
    const withTyping = { ...state, conversations: { [GENERAL]: { ...c, typing: [typing] } } };
    expect(applyBlocks(withTyping, [BOB]).conversations[GENERAL]!.typing).toEqual([]);
  });
});

describe('dropConversation (the own user left a room)', () => {
  it('removes the room and its unsent messages, and nothing else', () => {
    let state = applyReady(INITIAL_STATE, ready([conversation(), conversation({ id: 'room', kind: 'group' })]));
    const entry = (clientMsgId: string, conversationId: string, order: number) =>
      newEntry({ clientMsgId, conversationId, text: 'hi', createdAt: 1, order });
    state = withOutbox(state, [entry('in-room-1', 'room', 1), entry('in-general', GENERAL, 2)]);
    const dropped = dropConversation(state, 'room');
    expect(Object.keys(dropped.conversations)).toEqual([GENERAL]);
    expect(dropped.outbox.map((e) => e.clientMsgId)).toEqual(['in-general']);
    expect(dropped.pendingCount).toBe(1);
    expect(dropConversation(dropped, 'room')).toBe(dropped);
  });
});
