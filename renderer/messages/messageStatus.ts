import type { ReceiptWire } from '../../shared/protocol';
import type { OutboxStatus } from '../../shared/sync';

/**
 * The state an own message shows. `pending`: not yet acknowledged by the hub
 * (queued or being sent); `failed`: the hub refused it for good; `sent`: on
 * the hub; `delivered`/`read`: reached / read by every other member.
 */
export type OwnStatus = 'pending' | 'failed' | 'sent' | 'delivered' | 'read';

export type ReceiptSummary = {
  status: 'sent' | 'delivered' | 'read';
  others: number;
  deliveredTo: number;
  readBy: number;
};

/** Receipts turned into a message's state (docs/PROTOCOL.md 9.3): read by `u` if receipts[u].readSeq >= seq. */
export function ownMessageStatus(
  seq: number,
  receipts: Readonly<Record<string, ReceiptWire>>,
  memberUserIds: readonly string[],
  selfUserId: string,
): ReceiptSummary {
  let others = 0;
  let deliveredTo = 0;
  let readBy = 0;
  for (const userId of memberUserIds) {
    if (userId === selfUserId) continue;
    others++;
    const receipt = receipts[userId];
    if (!receipt) continue;
    if (receipt.readSeq >= seq) readBy++;
    if (receipt.deliveredSeq >= seq || receipt.readSeq >= seq) deliveredTo++;
  }
  const status = others > 0 && readBy === others ? 'read' : others > 0 && deliveredTo === others ? 'delivered' : 'sent';
  return { status, others, deliveredTo, readBy };
}

export function pendingStatus(status: OutboxStatus): OwnStatus {
  return status === 'failed' ? 'failed' : 'pending';
}

/** Words for a screen reader and a tooltip. */
export function describeStatus(status: OwnStatus, summary?: ReceiptSummary): string {
  switch (status) {
    case 'pending':
      return 'Sending';
    case 'failed':
      return 'Not sent';
    case 'sent':
      return summary && summary.others > 1 && summary.deliveredTo > 0
        ? `Sent, delivered to ${summary.deliveredTo} of ${summary.others}`
        : 'Sent';
    case 'delivered':
      return summary && summary.others > 1 && summary.readBy > 0
        ? `Delivered, read by ${summary.readBy} of ${summary.others}`
        : 'Delivered';
    case 'read':
      return summary && summary.others > 1 ? `Read by all ${summary.others}` : 'Read';
  }
}
