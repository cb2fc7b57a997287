import type { UsageCheckpoint } from './usageFile';

type Counted = {
  /** Every durable line with seq <= this is counted. */
  seq: number;
  bytes: Map<string, number>;
  /** False while lines before `seq` are still being counted from the log: not checkpointed then. */
  complete: boolean;
};

/**
 * How many bytes of the log each user's messages take (their lines, JSON and all: what fills
 * the disk), for the per-user storage budget. Durable lines are counted per conversation, so
 * a conversation whose files are restored from a backup can be recounted alone; lines still
 * being committed count as pending, so a burst of sends cannot overshoot the budget.
 */
export class UsageLedger {
  private readonly conversations = new Map<string, Counted>();
  private readonly totals = new Map<string, number>();
  private readonly pending = new Map<string, number>();
  private changed = false;

  /** Bytes stored or being stored for the user. */
  bytesOf(userId: string): number {
    return (this.totals.get(userId) ?? 0) + (this.pending.get(userId) ?? 0);
  }

  /** Takes a conversation's counts from a checkpoint; `complete` false if lines after `seq` remain to be counted. */
  restore(conversationId: string, seq: number, bytes: Record<string, number>, complete: boolean): void {
    const counted: Counted = { seq, bytes: new Map(), complete };
    this.conversations.set(conversationId, counted);
    for (const [userId, n] of Object.entries(bytes)) add(counted.bytes, userId, n);
    for (const [userId, n] of counted.bytes) add(this.totals, userId, n);
  }

  /** A line was handed its seq and is on its way to disk. */
  assigned(userId: string, bytes: number): void {
    add(this.pending, userId, bytes);
  }

  /** A line that was assigned will not be stored. */
  rolledBack(userId: string, bytes: number): void {
    add(this.pending, userId, -bytes);
  }

  /** An assigned line is durable. */
  stored(conversationId: string, seq: number, userId: string, bytes: number): void {
    add(this.pending, userId, -bytes);
    this.counted(conversationId, seq, userId, bytes);
  }

  /** A durable line found by counting the log (start-up after a crash, or an upgrade). */
  recounted(conversationId: string, seq: number, userId: string, bytes: number): void {
    this.counted(conversationId, seq, userId, bytes);
  }

  /** Every line of the conversation up to what it held at start-up is counted now. */
  completed(conversationId: string): void {
    const counted = this.conversations.get(conversationId);
    if (counted) counted.complete = true;
    this.changed = true;
  }

  /** The counts to checkpoint, or null if nothing changed since the last one (`markSaved`). */
  checkpoint(): UsageCheckpoint | null {
    if (!this.changed) return null;
    const out: UsageCheckpoint = {};
    for (const [id, c] of this.conversations) {
      // An incomplete count would claim lines as counted that are not: left out, it is recounted next time.
      if (c.complete) out[id] = { seq: c.seq, bytes: Object.fromEntries(c.bytes) };
    }
    return out;
  }

  markSaved(): void {
    this.changed = false;
  }

  private counted(conversationId: string, seq: number, userId: string, bytes: number): void {
    let counted = this.conversations.get(conversationId);
    if (!counted) {
      counted = { seq: 0, bytes: new Map(), complete: true };
      this.conversations.set(conversationId, counted);
    }
    counted.seq = Math.max(counted.seq, seq);
    add(counted.bytes, userId, bytes);
    add(this.totals, userId, bytes);
    this.changed = true;
  }
}

function add(map: Map<string, number>, key: string, n: number): void {
  const next = (map.get(key) ?? 0) + n;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}
