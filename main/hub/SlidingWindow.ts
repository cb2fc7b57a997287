type Spent = { at: number; amount: number };

/**
 * How much each key (a user) spent within the last `windowMs`, against a limit: exact, unlike a
 * token bucket, so a refusal can say when enough runs out. Each key keeps at most `limit` entries
 * (every entry spends at least 1), and a key whose entries all ran out is forgotten.
 */
export class SlidingWindow {
  private readonly spent = new Map<string, Spent[]>();

  constructor(
    private readonly windowMs: number,
    /** Infinity: nothing is limited, nothing remembered. */
    private readonly limit: number,
  ) {}

  /** Milliseconds until `amount` more fits (0: now); Infinity when it never can (over the limit by itself). */
  waitFor(key: string, amount: number, now: number): number {
    if (amount > this.limit) return Number.POSITIVE_INFINITY;
    const entries = this.current(key, now);
    let over = entries.reduce((sum, e) => sum + e.amount, 0) + amount - this.limit;
    for (const e of entries) {
      if (over <= 0) break;
      over -= e.amount;
      if (over <= 0) return e.at + this.windowMs - now;
    }
    return 0;
  }

  spend(key: string, amount: number, now: number): void {
    if (this.limit === Number.POSITIVE_INFINITY || amount <= 0) return;
    this.spent.set(key, [...this.current(key, now), { at: now, amount }]);
  }

  /** The key's entries still inside the window, oldest first; forgets the key if there are none. */
  private current(key: string, now: number): Spent[] {
    const entries = this.spent.get(key);
    if (!entries) return [];
    const live = entries.filter((e) => e.at + this.windowMs > now);
    if (live.length === 0) this.spent.delete(key);
    else if (live.length < entries.length) this.spent.set(key, live);
    return live;
  }
}
