import type { StoredMessage } from './storedMessage';

/**
 * The newest durable messages of one conversation, so that live catch-up
 * (a client a few messages behind) is answered without touching the disk.
 * Holds between `capacity` and 2 * `capacity` messages, contiguous by seq.
 */
export class RecentCache {
  private items: StoredMessage[] = [];

  constructor(private readonly capacity: number) {}

  /** Only durable messages belong here: reads answered from the cache must never show an uncommitted one. */
  push(message: StoredMessage): void {
    if (this.capacity <= 0) return;
    const last = this.items[this.items.length - 1];
    if (last && message.seq !== last.seq + 1) this.items = [];
    this.items.push(message);
    // Trimming in halves keeps push O(1) amortised.
    if (this.items.length > 2 * this.capacity) this.items = this.items.slice(-this.capacity);
  }

  /** Messages `from`..`to` inclusive, or null unless the cache holds all of them. */
  range(from: number, to: number): StoredMessage[] | null {
    const first = this.items[0];
    const last = this.items[this.items.length - 1];
    if (!first || !last || from < first.seq || to > last.seq || from > to) return null;
    return this.items.slice(from - first.seq, to - first.seq + 1);
  }

  get(seq: number): StoredMessage | undefined {
    return this.range(seq, seq)?.[0];
  }
}
