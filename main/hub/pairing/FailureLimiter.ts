/**
 * Locks an address out after repeated wrong secrets. The lockout doubles with
 * every further failure so a guesser on one address cannot make progress,
 * while a person who mistyped a few times waits a minute.
 */
export type FailureLimiterOptions = {
  maxFailures: number;
  lockoutMs: number;
  /** Lockouts never grow beyond this. */
  maxLockoutMs: number;
  now: () => number;
};

type Entry = { failures: number; lockedUntil: number; lastFailureAt: number };

/** After this long without a failure an address starts with a clean slate. */
const FORGET_AFTER_MS = 60 * 60 * 1000;

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: FailureLimiterOptions) {}

  /** Milliseconds the address must still wait, 0 when it may try. */
  lockedFor(address: string): number {
    const entry = this.entries.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.lockedUntil - this.options.now());
  }

  recordFailure(address: string): void {
    const now = this.options.now();
    this.forgetQuiet(now);
    const entry = this.entries.get(address) ?? { failures: 0, lockedUntil: 0, lastFailureAt: now };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const over = entry.failures - this.options.maxFailures;
    if (over >= 0) {
      const lockout = Math.min(this.options.lockoutMs * 2 ** over, this.options.maxLockoutMs);
      entry.lockedUntil = now + lockout;
    }
    this.entries.set(address, entry);
  }

  recordSuccess(address: string): void {
    this.entries.delete(address);
  }

  private forgetQuiet(now: number): void {
    for (const [address, entry] of this.entries) {
      if (now - entry.lastFailureAt > FORGET_AFTER_MS && now >= entry.lockedUntil) this.entries.delete(address);
    }
  }
}
