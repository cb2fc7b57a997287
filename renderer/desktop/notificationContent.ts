import type { MessageWire } from '../../shared/protocol';
import type { NotificationRequest } from '../../shared/desktop';
import type { ConversationState, RoostState } from '../../shared/sync';

/** More new messages than this in one conversation at once (a catch-up) become one summary notification. */
export const MAX_NOTIFICATIONS_PER_CONVERSATION = 3;
const MAX_TITLE = 200;
/** Notification bodies are a preview; the system truncates long ones anyway. */
const MAX_BODY = 280;

/**
 * The notifications a state change calls for: messages from other people
 * (never from this user's own devices) that became known in this change and
 * are not already read. Nothing before the account is known, so loading the
 * cache or the first catch-up of a new device stays quiet.
 */
export function incomingNotifications(prev: RoostState, next: RoostState): NotificationRequest[] {
  const self = next.self;
  if (!self || prev.self?.userId !== self.userId || next.session.phase !== 'paired') return [];
  const out: NotificationRequest[] = [];
  for (const conversation of Object.values(next.conversations)) {
    const before = prev.conversations[conversation.id];
    if (before === conversation) continue;
    const known = before ? newestKnownSeq(before) : 0;
    const fresh = conversation.timeline.messages.filter((m) => m.seq > known && m.seq > conversation.readSeq && m.senderUserId !== self.userId);
    if (fresh.length === 0) continue;
    if (fresh.length <= MAX_NOTIFICATIONS_PER_CONVERSATION) {
      for (const message of fresh) out.push(messageNotification(next, conversation, message));
    } else {
      out.push(summaryNotification(next, conversation, fresh));
    }
  }
  return out;
}

/** One message: "Bob" for a direct conversation, "Bob in Weekend plans" for a room. */
export function messageNotification(state: RoostState, conversation: ConversationState, message: MessageWire): NotificationRequest {
  const sender = senderName(state, message.senderUserId);
  const title = conversation.kind === 'direct' ? sender : `${sender} in ${roomName(conversation)}`;
  return { conversationId: conversation.id, title: clip(title, MAX_TITLE), body: clip(message.text, MAX_BODY) };
}

function summaryNotification(state: RoostState, conversation: ConversationState, messages: readonly MessageWire[]): NotificationRequest {
  const senders = [...new Set(messages.map((m) => senderName(state, m.senderUserId)))];
  const title = conversation.kind === 'direct' ? senders[0]! : roomName(conversation);
  const last = messages.at(-1)!;
  const from = conversation.kind === 'direct' ? '' : ` from ${listNames(senders)}`;
  return {
    conversationId: conversation.id,
    title: clip(title, MAX_TITLE),
    body: clip(`${messages.length} new messages${from}. Latest: ${last.text}`, MAX_BODY),
  };
}

/** Total unread messages over all conversations, for the badge and the tray. */
export function totalUnread(state: Pick<RoostState, 'conversations'>): number {
  let total = 0;
  for (const c of Object.values(state.conversations)) total += c.unreadCount;
  return Math.min(total, 1_000_000);
}

function newestKnownSeq(c: ConversationState): number {
  return Math.max(c.timeline.cursor, c.timeline.messages.at(-1)?.seq ?? 0);
}

function senderName(state: RoostState, userId: string): string {
  return state.users[userId]?.displayName || 'Someone';
}

function roomName(c: ConversationState): string {
  return c.name || 'a room';
}

function listNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

/** Shortens to `max` characters with an ellipsis, on whitespace-collapsed text. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
