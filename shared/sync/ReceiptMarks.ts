import type { ClientFrameInputOf } from '../protocol';
import type { ConversationState } from './clientState';

type Marks = { delivered: number; read: number };

export type MarkFrame = ClientFrameInputOf<'markRead'> | ClientFrameInputOf<'markDelivered'>;

/**
 * Tells the hub what reached this device (markDelivered: the timeline's
 * cursor) and what the user read (markRead: the own readSeq), coalesced:
 * ClientCore notes conversations whose marks may have moved and, once per
 * delay, asks for the frames; at most one of each kind per conversation, and
 * only when it moves the hub's marker. What the hub already has comes from
 * `ready` and from `receipt` pushes for the own user, so read marks made
 * offline go out after the next `ready` and nothing is sent twice.
 */
export class ReceiptMarks {
  private readonly due = new Set<string>();
  /** The hub's markers for the own user, as last heard. */
  private readonly confirmed = new Map<string, Marks>();
  /** Sent on the current connection, not confirmed yet. */
  private readonly sent = new Map<string, Marks>();

  /** The hub's receipt for the own user (from `ready` or a `receipt` push). */
  confirm(conversationId: string, receipt: { deliveredSeq: number; readSeq: number }): void {
    const known = this.confirmed.get(conversationId) ?? { delivered: 0, read: 0 };
    this.confirmed.set(conversationId, {
      delivered: Math.max(known.delivered, receipt.deliveredSeq),
      read: Math.max(known.read, receipt.readSeq),
    });
  }

  /** The conversation's cursor or read mark may have moved: include it in the next flush. */
  note(conversationId: string): void {
    this.due.add(conversationId);
  }

  /** The frames to send now for the conversations noted, recorded as sent. Call only while connected. */
  flush(conversations: Readonly<Record<string, ConversationState>>): MarkFrame[] {
    const frames: MarkFrame[] = [];
    for (const id of this.due) {
      const c = conversations[id];
      if (!c) continue;
      const confirmed = this.confirmed.get(id) ?? { delivered: 0, read: 0 };
      const sent = this.sent.get(id) ?? { delivered: 0, read: 0 };
      const hubRead = Math.max(confirmed.read, sent.read);
      // Reading implies delivery, so a read mark moves both markers.
      const hubDelivered = Math.max(confirmed.delivered, sent.delivered, hubRead);
      const next = { ...sent };
      if (c.readSeq > hubRead) {
        frames.push({ type: 'markRead', conversationId: id, seq: c.readSeq });
        next.read = c.readSeq;
        next.delivered = Math.max(next.delivered, c.readSeq);
      }
      const delivered = c.timeline.cursor;
      if (delivered > Math.max(hubDelivered, next.delivered)) {
        frames.push({ type: 'markDelivered', conversationId: id, seq: delivered });
        next.delivered = delivered;
      }
      this.sent.set(id, next);
    }
    this.due.clear();
    return frames;
  }

  /** The connection is gone: what was sent may not have arrived. */
  reset(): void {
    this.sent.clear();
    this.due.clear();
  }

  /** The account is gone. */
  forget(): void {
    this.reset();
    this.confirmed.clear();
  }
}
