/**
 * Who may guess a pairing secret now. Two units (addressKey.ts):
 * - each device address (`hostKey`) is locked out after repeated wrong secrets, the lockout doubling
 *   with every further one, so a guesser makes no progress while a person who mistyped waits a minute;
 *   one IPv6 device's guesses never lock out its neighbours in the same /64;
 * - each network (`networkKey`: an IPv6 /64, or an IPv4 address) has a budget of wrong guesses, so a host
 *   rotating through its /64 cannot guess faster than that budget.
 * Both tables are bounded. Nothing is forgotten before its time (a locked address above all): a full
 * table refuses new guessers instead, with the time until the oldest entry is forgotten.
 */
import { hostKey, networkKey } from '../addressKey';

export type FailureLimiterOptions = {
  maxFailures: number;
  lockoutMs: number;
  /** Lockouts never grow beyond this. */
  maxLockoutMs: number;
  now: () => number;
  /** Addresses, and networks, remembered at most. Default 10,000. */
  maxEntries?: number;
  /** Wrong guesses a network may make at once. Default unlimited. */
  networkBurst?: number;
  /** One more guess per network per this long, up to the burst. */
  networkRefillMs?: number;
};

/** Why an address may not guess now, and for how long. */
export type GuessRefusal = { reason: 'locked' | 'network' | 'full'; waitMs: number };

type HostEntry = { failures: number; lockedUntil: number; lastFailureAt: number };
/** A token bucket: `tokens` as of `at`. */
type NetworkEntry = { tokens: number; at: number };

/** After this long without a failure an address starts with a clean slate (never while locked, see forgetAfterMs). */
const FORGET_AFTER_MS = 60 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 10_000;

export class FailureLimiter {
  /** Oldest last failure first: each failure moves its entry to the end. */
  private readonly hosts = new Map<string, HostEntry>();
  /** Oldest last guess first, likewise. */
  private readonly networks = new Map<string, NetworkEntry>();
  private readonly maxEntries: number;
  /** A lockout ends by lastFailureAt + maxLockoutMs, so an entry this quiet is never a locked one. */
  private readonly forgetAfterMs: number;
  /** A network this quiet has its whole budget back, the same as one never seen. */
  private readonly networkRefilledMs: number;

  constructor(private readonly options: FailureLimiterOptions) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.forgetAfterMs = Math.max(FORGET_AFTER_MS, options.maxLockoutMs);
    this.networkRefilledMs = (options.networkBurst ?? 0) * (options.networkRefillMs ?? 0);
  }

  /** Why `address` may not guess a code now; undefined when it may. */
  refusal(address: string): GuessRefusal | undefined {
    const now = this.forgetQuiet();
    const host = this.hosts.get(hostKey(address));
    if (host && host.lockedUntil > now) return { reason: 'locked', waitMs: host.lockedUntil - now };
    const network = this.networks.get(networkKey(address));
    if (network) {
      const tokens = this.tokensOf(network, now);
      if (tokens < 1) return { reason: 'network', waitMs: Math.ceil((1 - tokens) * this.options.networkRefillMs!) };
    }
    if (!host && this.hosts.size >= this.maxEntries) return { reason: 'full', waitMs: this.hostRoomIn(now) };
    if (!network && this.budgeted && this.networks.size >= this.maxEntries)
      return { reason: 'full', waitMs: this.networkRoomIn(now) };
    return undefined;
  }

  /** Milliseconds the address's lockout still lasts, 0 when it has none. */
  lockedFor(address: string): number {
    const now = this.forgetQuiet();
    const host = this.hosts.get(hostKey(address));
    return host ? Math.max(0, host.lockedUntil - now) : 0;
  }

  /**
   * Counts a wrong secret against the address and its network, where there is room (after `refusal`
   * said yes, there is). Returns whether the address is remembered.
   */
  recordFailure(address: string): boolean {
    const now = this.forgetQuiet();
    this.spendNetworkGuess(networkKey(address), now);
    const key = hostKey(address);
    const entry = this.hosts.get(key) ?? { failures: 0, lockedUntil: 0, lastFailureAt: now };
    if (entry.failures === 0 && this.hosts.size >= this.maxEntries) return false;
    entry.failures += 1;
    entry.lastFailureAt = now;
    const over = entry.failures - this.options.maxFailures;
    if (over >= 0) entry.lockedUntil = now + Math.min(this.options.lockoutMs * 2 ** over, this.options.maxLockoutMs);
    this.hosts.delete(key);
    this.hosts.set(key, entry);
    return true;
  }

  /** A success clears the address's count; its network's budget refills only with time. */
  recordSuccess(address: string): void {
    this.hosts.delete(hostKey(address));
  }

  /** A guess counted before it was judged was right: its network gets the guess back (up to the burst). */
  refundNetworkGuess(address: string): void {
    if (!this.budgeted) return;
    const entry = this.networks.get(networkKey(address));
    if (!entry) return;
    const now = this.options.now();
    entry.tokens = Math.min(this.options.networkBurst!, this.tokensOf(entry, now) + 1);
    entry.at = now;
  }

  /** How many addresses are remembered (for tests and diagnostics). */
  get size(): number {
    return this.hosts.size;
  }

  private get budgeted(): boolean {
    return this.options.networkBurst !== undefined && this.options.networkRefillMs !== undefined;
  }

  private spendNetworkGuess(key: string, now: number): void {
    if (!this.budgeted) return;
    const entry = this.networks.get(key);
    if (!entry && this.networks.size >= this.maxEntries) return;
    const tokens = entry ? this.tokensOf(entry, now) : this.options.networkBurst!;
    this.networks.delete(key);
    this.networks.set(key, { tokens: Math.max(0, tokens - 1), at: now });
  }

  private tokensOf(entry: NetworkEntry, now: number): number {
    const refilled = (now - entry.at) / this.options.networkRefillMs!;
    return Math.min(this.options.networkBurst!, entry.tokens + Math.max(0, refilled));
  }

  /**
   * Forgets the entries whose time is up. Both maps are ordered by the time that decides it, so only
   * the oldest are looked at: each guess costs O(1) however full the tables are.
   */
  private forgetQuiet(): number {
    const now = this.options.now();
    for (const [key, entry] of this.hosts) {
      if (now - entry.lastFailureAt < this.forgetAfterMs) break;
      this.hosts.delete(key);
    }
    for (const [key, entry] of this.networks) {
      if (now - entry.at < this.networkRefilledMs) break;
      this.networks.delete(key);
    }
    return now;
  }

  private hostRoomIn(now: number): number {
    const oldest = this.hosts.values().next().value;
    return oldest ? Math.max(1, oldest.lastFailureAt + this.forgetAfterMs - now) : 0;
  }

  private networkRoomIn(now: number): number {
    const oldest = this.networks.values().next().value;
    return oldest ? Math.max(1, oldest.at + this.networkRefilledMs - now) : 0;
  }
}
