import type { ConversationState, RoostState } from '../../shared/sync';
import { conversationTitle } from '../../shared/sync';

/** One line of the conversation list. */
export type ConversationSummary = {
  id: string;
  kind: ConversationState['kind'];
  title: string;
  /** Newest message or unsent text, if any is loaded. */
  preview: string | undefined;
  previewFromSelf: boolean;
  /** Sender's name for rooms ("Ann: …"); undefined for direct conversations and own messages. */
  previewSender: string | undefined;
  /** Newest activity, for ordering and the time label. */
  lastActivityAt: number;
  unread: number;
  /** For direct conversations: the other member, and whether they are online. */
  peerUserId: string | undefined;
  peerOnline: boolean;
  typing: boolean;
};

/** The conversation list: the default room first, then by newest activity. */
export function conversationSummaries(
  state: Pick<RoostState, 'conversations' | 'users' | 'self'>,
): ConversationSummary[] {
  const selfId = state.self?.userId;
  const list = Object.values(state.conversations).map((c): ConversationSummary => {
    const lastMessage = c.timeline.messages.at(-1);
    const lastPending = c.pending.at(-1);
    const pendingIsNewer =
      lastPending !== undefined && (lastMessage === undefined || lastPending.createdAt >= lastMessage.sentAt);
    const peerUserId = c.kind === 'direct' ? c.memberUserIds.find((id) => id !== selfId) : undefined;
    const fromSelf = pendingIsNewer || (lastMessage !== undefined && lastMessage.senderUserId === selfId);
    return {
      id: c.id,
      kind: c.kind,
      title: conversationTitle(state, c),
      preview: pendingIsNewer ? lastPending.text : lastMessage?.text,
      previewFromSelf: fromSelf,
      previewSender:
        !fromSelf && lastMessage && c.kind !== 'direct'
          ? state.users[lastMessage.senderUserId]?.displayName
          : undefined,
      lastActivityAt: Math.max(c.createdAt, lastMessage?.sentAt ?? 0, pendingIsNewer ? lastPending.createdAt : 0),
      unread: c.unreadCount,
      peerUserId,
      peerOnline: peerUserId !== undefined && (state.users[peerUserId]?.online ?? false),
      typing: c.typing.length > 0,
    };
  });
  return list.sort(
    (a, b) =>
      Number(b.kind === 'default') - Number(a.kind === 'default') ||
      b.lastActivityAt - a.lastActivityAt ||
      a.title.localeCompare(b.title),
  );
}

/** "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…". */
export function typingText(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** Every other user, online ones first, then by name. */
export function otherUsers(
  state: Pick<RoostState, 'users' | 'self'>,
): { id: string; displayName: string; online: boolean }[] {
  return Object.values(state.users)
    .filter((u) => u.id !== state.self?.userId)
    .sort((a, b) => Number(b.online) - Number(a.online) || a.displayName.localeCompare(b.displayName));
}
