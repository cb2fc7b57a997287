/**
 * Locks an address out after repeated wrong secrets. The lockout doubles with
 * every further failure so a guesser on one address cannot make progress,
 * while a person who mistyped a few times waits a minute.
 */
import { networkKey } from '../addressKey';

export type FailureLimiterOptions = {
  maxFailures: number;
  lockoutMs: number;
  /** Lockouts never grow beyond this. */
  maxLockoutMs: number;
  now: () => number;
  /** Addresses remembered at most; the least recently failing are forgotten first. */
  maxEntries?: number;
};

type Entry = { failures: number; lockedUntil: number; lastFailureAt: number };

/** After this long without a failure an address starts with a clean slate. */
const FORGET_AFTER_MS = 60 * 60 * 1000;
/** How often the quiet entries are swept; sweeping on every failure would cost O(n) per guess. */
const SWEEP_EVERY_MS = 60 * 1000;
const DEFAULT_MAX_ENTRIES = 10_000;

export class FailureLimiter {
  /** Insertion order is failure order: an entry is re-inserted on each failure. */
  private readonly entries = new Map<string, Entry>();
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: FailureLimiterOptions) {}

  /** Milliseconds the address must still wait, 0 when it may try. */
  lockedFor(address: string): number {
    const entry = this.entries.get(networkKey(address));
    if (!entry) return 0;
    return Math.max(0, entry.lockedUntil - this.options.now());
  }

  recordFailure(address: string): void {
    const now = this.options.now();
    this.sweep(now);
    const key = networkKey(address);
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, lastFailureAt: now };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const over = entry.failures - this.options.maxFailures;
    if (over >= 0) {
      const lockout = Math.min(this.options.lockoutMs * 2 ** over, this.options.maxLockoutMs);
      entry.lockedUntil = now + lockout;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evictOverflow();
  }

  recordSuccess(address: string): void {
    this.entries.delete(networkKey(address));
  }

  /** How many addresses are remembered (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.lastSweepAt = now;
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailureAt > FORGET_AFTER_MS && now >= entry.lockedUntil) this.entries.delete(key);
    }
  }

  private evictOverflow(): void {
    const max = this.options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= max) return;
      this.entries.delete(key);
    }
  }
}
