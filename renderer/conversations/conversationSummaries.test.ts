import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import type { ConversationState, RoostState } from '../../shared/sync';
import { conversationState } from '../../shared/sync/testing/fixtures';
import { conversationSummaries, otherUsers, typingText } from './conversationSummaries';

const msg = (conversationId: string, seq: number, sender: string, sentAt: number, text = `m${seq}`): MessageWire => ({
  conversationId,
  seq,
  clientMsgId: `client-${conversationId}-${seq}`,
  senderUserId: sender,
  senderDeviceId: `${sender}-d`,
  sentAt,
  text,
});

function conversation(
  id: string,
  kind: ConversationState['kind'],
  members: string[],
  messages: MessageWire[],
  extra: Partial<ConversationState> = {},
): ConversationState {
  return conversationState(
    { id, kind, name: kind === 'direct' ? '' : id, memberUserIds: members, createdAt: 1, ...extra },
    messages,
  );
}

const state = {
  self: { userId: 'me', deviceId: 'me-d' },
  users: {
    me: { id: 'me', displayName: 'Me', online: true },
    bo: { id: 'bo', displayName: 'Bo', online: true },
    ann: { id: 'ann', displayName: 'Ann', online: false },
  },
  conversations: {
    general: conversation('general', 'default', ['me', 'bo', 'ann'], [msg('general', 1, 'ann', 100, 'hello all')]),
    dm: conversation('dm', 'direct', ['me', 'bo'], [msg('dm', 1, 'me', 300, 'hi Bo')], { unreadCount: 0 }),
    room: conversation('room', 'group', ['me', 'ann'], [msg('room', 1, 'ann', 200, 'plans?')], { unreadCount: 2 }),
  },
  blockedUserIds: [],
} as unknown as RoostState;

describe('conversation list', () => {
  it('puts the default room first, then the most recent', () => {
    expect(conversationSummaries(state).map((s) => s.id)).toEqual(['general', 'dm', 'room']);
  });

  it('names direct conversations after the other member and shows their presence', () => {
    const dm = conversationSummaries(state).find((s) => s.id === 'dm')!;
    expect(dm).toMatchObject({
      title: 'Bo',
      peerUserId: 'bo',
      peerOnline: true,
      preview: 'hi Bo',
      previewFromSelf: true,
      previewSender: undefined,
    });
  });

  it('previews a message of files alone by what it carries', () => {
    const file = { sha256: 'a'.repeat(64), name: 'Beach.png', size: 1, type: 'image/png' };
    const withFile = { ...msg('general', 2, 'bo', 400, ''), attachments: [file] };
    const general = conversation('general', 'default', ['me', 'bo'], [withFile]);
    const [summary] = conversationSummaries({ ...state, conversations: { general } });
    expect(summary?.preview).toBe('📎 Beach.png');
  });

  it('shows who wrote the newest message of a room, and the unread count', () => {
    const room = conversationSummaries(state).find((s) => s.id === 'room')!;
    expect(room).toMatchObject({ preview: 'plans?', previewSender: 'Ann', unread: 2 });
  });

  it("previews the newest message of someone not blocked, and marks a blocked person's direct conversation", () => {
    const general = conversation(
      'general',
      'default',
      ['me', 'bo', 'ann'],
      [msg('general', 1, 'ann', 100, 'hello all'), msg('general', 2, 'bo', 150, 'buy now')],
    );
    const blocked = { ...state, conversations: { ...state.conversations, general }, blockedUserIds: ['bo'] };
    const summaries = conversationSummaries(blocked as RoostState);
    expect(summaries.find((s) => s.id === 'general')).toMatchObject({ preview: 'hello all', previewSender: 'Ann' });
    expect(summaries.find((s) => s.id === 'dm')).toMatchObject({ peerBlocked: true });
    expect(conversationSummaries(state).find((s) => s.id === 'dm')).toMatchObject({ peerBlocked: false });
  });

  it('lists other users online first', () => {
    expect(otherUsers(state).map((u) => u.id)).toEqual(['bo', 'ann']);
  });

  it('says who is typing', () => {
    expect(typingText([])).toBeUndefined();
    expect(typingText(['Ann'])).toBe('Ann is typing…');
    expect(typingText(['Ann', 'Bo'])).toBe('Ann and Bo are typing…');
    expect(typingText(['Ann', 'Bo', 'Cy'])).toBe('3 people are typing…');
  });
});
