import type { MessageWire } from '../../shared/protocol';
import type { ConversationState, RoostState } from '../../shared/sync';
import { previewText } from '../../shared/files/messagePreview';
import {
  conversationTitle,
  DELETED_MESSAGE_TEXT,
  hiddenSenders,
  isActiveUser,
  isDeletion,
  userName,
} from '../../shared/sync';

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
  /** For direct conversations: the own user blocks the other member. */
  peerBlocked: boolean;
  typing: boolean;
};

/** The conversation list: the default room first, then by newest activity. Blocked users' messages are not shown. */
export function conversationSummaries(
  state: Pick<RoostState, 'conversations' | 'users' | 'self' | 'blockedUserIds'>,
): ConversationSummary[] {
  const selfId = state.self?.userId;
  const hidden = hiddenSenders(state);
  const list = Object.values(state.conversations).map((c): ConversationSummary => {
    const lastMessage = lastShown(c.timeline.messages, hidden);
    const lastPending = c.pending.at(-1);
    const pendingIsNewer =
      lastPending !== undefined && (lastMessage === undefined || lastPending.createdAt >= lastMessage.sentAt);
    const peerUserId = c.kind === 'direct' ? c.memberUserIds.find((id) => id !== selfId) : undefined;
    const fromSelf = pendingIsNewer || (lastMessage !== undefined && lastMessage.senderUserId === selfId);
    return {
      id: c.id,
      kind: c.kind,
      title: conversationTitle(state, c),
      preview: pendingIsNewer
        ? previewText(lastPending.text, lastPending.attachments)
        : lastMessage?.deleted
          ? DELETED_MESSAGE_TEXT
          : lastMessage && previewText(lastMessage.text, lastMessage.attachments),
      previewFromSelf: fromSelf,
      previewSender:
        !fromSelf && lastMessage && c.kind !== 'direct' ? userName(state.users, lastMessage.senderUserId) : undefined,
      lastActivityAt: Math.max(c.createdAt, lastMessage?.sentAt ?? 0, pendingIsNewer ? lastPending.createdAt : 0),
      unread: c.unreadCount,
      peerUserId,
      peerOnline: peerUserId !== undefined && (state.users[peerUserId]?.online ?? false),
      peerBlocked: peerUserId !== undefined && hidden.has(peerUserId),
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

/** The newest message not hidden; looked for from the end, since most are shown. */
function lastShown(messages: readonly MessageWire[], hidden: ReadonlySet<string>): MessageWire | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    // A deletion is not shown either (PROTOCOL.md 7.5).
    if (!hidden.has(m.senderUserId) && !isDeletion(m)) return m;
  }
  return undefined;
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
    .filter((u) => u.id !== state.self?.userId && isActiveUser(u))
    .sort((a, b) => Number(b.online) - Number(a.online) || a.displayName.localeCompare(b.displayName));
}
