import type { MessageWire } from '../protocol';
import type { Timeline } from './conversationTimeline';

const NO_ONE: ReadonlySet<string> = new Set();

/**
 * Unread messages in a conversation: those with seq > the own user's readSeq
 * that the own user did not send. Messages the client has not loaded (beyond
 * its cursor, or before its oldest message) count as unread, since they could
 * only be own messages if this client had seen them; so with nothing loaded
 * the count is lastSeq - readSeq, and with everything loaded it is exact. Messages of `hidden`
 * senders (users the own user blocks) never count.
 */
export function unreadCount(
  timeline: Timeline,
  lastSeq: number,
  readSeq: number,
  selfUserId: string | undefined,
  hidden: ReadonlySet<string> = NO_ONE,
): number {
  const top = Math.max(lastSeq, timeline.cursor, timeline.buffered.at(-1)?.seq ?? 0);
  if (top <= readSeq) return 0;
  // A deletion is no message to read, nor is a message that was deleted (PROTOCOL.md 7.5).
  const isOther = (m: MessageWire) =>
    m.senderUserId !== selfUserId && !hidden.has(m.senderUserId) && m.deletes === undefined && !m.deleted;

  let knownOthers = 0;
  for (let i = timeline.messages.length - 1; i >= 0; i--) {
    const m = timeline.messages[i]!;
    if (m.seq <= readSeq) break;
    if (isOther(m)) knownOthers++;
  }
  const bufferedAbove = timeline.buffered.filter((m) => m.seq > readSeq && m.seq > timeline.cursor && m.seq <= top);
  knownOthers += bufferedAbove.filter(isOther).length;

  // Seqs in (readSeq, top] that the loaded run [low, cursor] and the buffer do not account for.
  const low = timeline.messages[0]?.seq ?? timeline.cursor + 1;
  const overlap = Math.max(0, Math.min(top, timeline.cursor) - Math.max(readSeq + 1, low) + 1);
  const unknown = top - readSeq - overlap - bufferedAbove.length;
  return knownOthers + Math.max(0, unknown);
}
