/** A budget of `burst` tokens at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `cost` tokens (default 1); false, taking none, when fewer are left. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /**
   * Takes `cost` tokens whatever is left, going into debt: for work already done (its cost known only once
   * done). Until the debt is paid back by the refill, take() refuses.
   */
  spend(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  /** Seconds until `cost` tokens are back (0 if they are now). */
  secondsUntil(cost = 1): number {
    this.refill();
    return Math.max(0, (Math.min(cost, this.burst) - this.tokens) / this.perSecond);
  }

  /** Refilled to the burst: the same as a new bucket, so a keyed set of buckets may forget it. */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }
}
