/**
 * The (senderUserId, clientMsgId) pairs of a conversation's newest
 * `capacity` messages, for recognising resends. Seqs must be added in order
 * and without gaps, which is how the log assigns them; that lets a ring of
 * `capacity` slots evict exactly the pair that fell out of the window.
 */
export class RecentIds {
  private readonly ring: Array<string | undefined>;
  private readonly seqByKey = new Map<string, number>();

  constructor(private readonly capacity: number) {
    this.ring = Array.from<string | undefined>({ length: Math.max(capacity, 0) });
  }

  static key(senderUserId: string, clientMsgId: string): string {
    // Length prefix: no pair of ids can produce the same key as another pair.
    return `${senderUserId.length}:${senderUserId}${clientMsgId}`;
  }

  get(key: string): number | undefined {
    return this.seqByKey.get(key);
  }

  /** Returns the key whose slot this one took, for remove() to put back. */
  add(seq: number, key: string): string | undefined {
    if (this.capacity <= 0) return undefined;
    const slot = seq % this.capacity;
    const displaced = this.ring[slot];
    // A key resent after leaving the window was stored again under a newer seq; keep that one.
    if (displaced !== undefined && this.seqByKey.get(displaced) === seq - this.capacity)
      this.seqByKey.delete(displaced);
    this.ring[slot] = key;
    this.seqByKey.set(key, seq);
    return displaced;
  }

  /**
   * Undoes add(seq, key) for a message that was rolled back. Call for the
   * newest seq first, so the window ends up as it was before those adds.
   */
  remove(seq: number, key: string, displaced: string | undefined): void {
    if (this.capacity <= 0) return;
    if (this.seqByKey.get(key) === seq) this.seqByKey.delete(key);
    this.ring[seq % this.capacity] = displaced;
    if (displaced !== undefined && !this.seqByKey.has(displaced)) this.seqByKey.set(displaced, seq - this.capacity);
  }

  get size(): number {
    return this.seqByKey.size;
  }
}
