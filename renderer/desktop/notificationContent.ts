import type { MessageWire } from '../../shared/protocol';
import type { NotificationRequest } from '../../shared/desktop';
import { previewText } from '../../shared/files/messagePreview';
import { isDeletion, isHiddenMessage, userName, type ConversationState, type RoostState } from '../../shared/sync';

/** More new messages than this in one conversation at once (a catch-up) become one summary notification. */
export const MAX_NOTIFICATIONS_PER_CONVERSATION = 3;
const MAX_TITLE = 200;
/** Notification bodies are a preview; the system truncates long ones anyway. */
const MAX_BODY = 280;

/** Messages from others, by conversation id, held back while a catch-up runs. */
export interface HeldNotifications {
  readonly holding: boolean;
  readonly messages: Readonly<Record<string, readonly MessageWire[]>>;
}

export const NOTHING_HELD: HeldNotifications = { holding: false, messages: {} };

/**
 * One state change through the notification rules: messages from other
 * people (never from this user's own devices) that became known in this
 * change and are not already read. Nothing before the account is known, so
 * loading the cache or the first catch-up of a new device stays quiet.
 * While the client catches up
 * (it just connected, or any conversation is `syncing`), new messages are held
 * and coalesced; once nothing syncs any more, all of them go out together. What
 * goes out at once is: per message for one conversation with at most
 * MAX_NOTIFICATIONS_PER_CONVERSATION new ones, else exactly one summary.
 */
export function stepNotifications(
  held: HeldNotifications,
  prev: RoostState,
  next: RoostState,
): { held: HeldNotifications; notifications: NotificationRequest[] } {
  if (!eligible(prev, next)) return { held: NOTHING_HELD, notifications: [] };
  const messages = mergeMessages(held.messages, freshMessages(prev, next));
  if (catchingUp(prev, next)) return { held: { holding: true, messages }, notifications: [] };
  return { held: NOTHING_HELD, notifications: notificationsFor(next, messages) };
}

/**
 * The client has just (re)connected (its catch-up starts in the same tick) or a conversation is fetching missed pages.
 */
export function catchingUp(
  prev: Pick<RoostState, 'status'>,
  next: Pick<RoostState, 'status' | 'conversations'>,
): boolean {
  if (next.status === 'connected' && prev.status !== 'connected') return true;
  return Object.values(next.conversations).some((c) => c.syncing);
}

function eligible(prev: RoostState, next: RoostState): boolean {
  const self = next.self;
  return self !== undefined && prev.self?.userId === self.userId && next.session.phase === 'paired';
}

/** Messages from others that became known in this change and are unread, by conversation id. */
function freshMessages(prev: RoostState, next: RoostState): Record<string, MessageWire[]> {
  const out: Record<string, MessageWire[]> = {};
  if (!eligible(prev, next)) return out;
  const selfId = next.self!.userId;
  for (const conversation of Object.values(next.conversations)) {
    const before = prev.conversations[conversation.id];
    if (before === conversation) continue;
    const known = before ? newestKnownSeq(before) : 0;
    const fresh = newerThan(conversation.timeline.messages, known).filter(
      // A blocked user's messages are hidden (PROTOCOL.md 11.7): a catch-up may still bring them.
      // Nor is a deletion, or a message deleted before it was notified (PROTOCOL.md 7.5).
      (m) =>
        m.seq > conversation.readSeq &&
        m.senderUserId !== selfId &&
        !isHiddenMessage(next, m) &&
        !isDeletion(m) &&
        !m.deleted,
    );
    if (fresh.length > 0) out[conversation.id] = fresh;
  }
  return out;
}

function mergeMessages(
  held: HeldNotifications['messages'],
  fresh: Record<string, MessageWire[]>,
): Record<string, readonly MessageWire[]> {
  const out: Record<string, readonly MessageWire[]> = { ...held };
  for (const [id, messages] of Object.entries(fresh)) {
    const before = out[id] ?? [];
    const last = before.at(-1)?.seq ?? 0;
    out[id] = [...before, ...messages.filter((m) => m.seq > last)];
  }
  return out;
}

/** Applies the burst rules to messages by conversation, dropping what was read or left meanwhile. */
function notificationsFor(state: RoostState, byConversation: HeldNotifications['messages']): NotificationRequest[] {
  const entries: Array<[ConversationState, readonly MessageWire[]]> = [];
  for (const [id, messages] of Object.entries(byConversation)) {
    const conversation = state.conversations[id];
    if (!conversation) continue;
    const unread = messages.filter((m) => m.seq > conversation.readSeq);
    if (unread.length > 0) entries.push([conversation, unread]);
  }
  if (entries.length === 0) return [];
  if (entries.length > 1) return [overallSummary(state, entries)];
  const [conversation, messages] = entries[0]!;
  if (messages.length <= MAX_NOTIFICATIONS_PER_CONVERSATION)
    return messages.map((m) => messageNotification(state, conversation, m));
  return [summaryNotification(state, conversation, messages)];
}

/** Several conversations at once: "12 new messages in 5 conversations: General, Bob and 3 more", opening the newest. */
function overallSummary(
  state: RoostState,
  entries: ReadonlyArray<[ConversationState, readonly MessageWire[]]>,
): NotificationRequest {
  const newestFirst = [...entries].sort((a, b) => b[1].at(-1)!.sentAt - a[1].at(-1)!.sentAt);
  const total = entries.reduce((n, [, messages]) => n + messages.length, 0);
  const labels = newestFirst.map(([c, messages]) =>
    c.kind === 'direct' ? senderName(state, messages[0]!.senderUserId) : roomName(c),
  );
  return {
    conversationId: newestFirst[0]![0].id,
    title: 'Roost',
    body: clip(`${total} new messages in ${entries.length} conversations: ${listNames(labels)}`, MAX_BODY),
  };
}

/** One message: "Bob" for a direct conversation, "Bob in Weekend plans" for a room. */
export function messageNotification(
  state: RoostState,
  conversation: ConversationState,
  message: MessageWire,
): NotificationRequest {
  const sender = senderName(state, message.senderUserId);
  const title = conversation.kind === 'direct' ? sender : `${sender} in ${roomName(conversation)}`;
  // A message of files alone says what it carries rather than showing an empty notification.
  const body = previewText(message.text, message.attachments);
  return { conversationId: conversation.id, title: clip(title, MAX_TITLE), body: clip(body, MAX_BODY) };
}

function summaryNotification(
  state: RoostState,
  conversation: ConversationState,
  messages: readonly MessageWire[],
): NotificationRequest {
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

/**
 * The tail of an ascending timeline after `seq`, found from the end:
 * this runs on every change, and a timeline can be long.
 */
function newerThan(messages: readonly MessageWire[], seq: number): readonly MessageWire[] {
  let start = messages.length;
  while (start > 0 && messages[start - 1]!.seq > seq) start--;
  return messages.slice(start);
}

function newestKnownSeq(c: ConversationState): number {
  return Math.max(c.timeline.cursor, c.timeline.messages.at(-1)?.seq ?? 0);
}

function senderName(state: RoostState, userId: string): string {
  return userName(state.users, userId);
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
