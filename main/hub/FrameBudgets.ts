import { isLoopback, networkKey } from './addressKey';
import { TokenBucket } from './TokenBucket';

/** A refill rate and a burst, in tokens: a frame costs 1 token plus 1 per `bytesPerToken` of it. */
export type BudgetRate = { perSecond: number; burst: number };

export type FrameBudgetOptions = {
  /**
   * Frames of connections that are not `ready` yet, and plain HTTP requests, shared by every
   * connection of one address (an IPv6 address by its /64, which one host can rotate through).
   */
  perAddress: BudgetRate;
  /**
   * The same frames and requests of all addresses together: an attacker holding many
   * addresses (a large IPv4 subnet) spends this, and the devices already ready keep the CPU.
   */
  perHub: BudgetRate;
  /** Frames of `ready` connections, shared by all devices of one user. */
  perUser: BudgetRate;
  /** A frame costs one token more per this many bytes: parsing and storing cost by size. */
  bytesPerToken: number;
  /**
   * What the hub sends in answer to a user's `fetchMessages` costs their perUser budget one token per this
   * many bytes: one small frame asks for up to a page of 256 Ki characters (1 MiB of emoji), so the frame's
   * own size says nothing of the work it makes.
   */
  answerBytesPerToken: number;
  /**
   * Whether loopback addresses are charged to perAddress and perHub. Off by default, as for
   * the socket quota: the desktop app's own window and local tools connect over loopback, and
   * a local process can use any of 127.0.0.0/8, so an address budget would not hold it back.
   */
  limitLoopback?: boolean;
};

/** Whose budget a frame overdrew, and the whole seconds until it would fit. */
export type BudgetRefusal = { over: 'address' | 'hub' | 'user'; waitSeconds: number };

/**
 * The CPU a hub spends on frames, bounded per sender across connections: one
 * socket's rate limit (Connection.admitFrame) times the sockets an address or
 * a user may hold would be far more than anyone needs. Before `ready` the
 * sender is the address, after it the user.
 */
export class FrameBudgets {
  private readonly addresses: KeyedBuckets;
  private readonly hub: TokenBucket;
  private readonly users: KeyedBuckets;

  constructor(
    private readonly options: FrameBudgetOptions,
    now?: () => number,
  ) {
    this.addresses = new KeyedBuckets(options.perAddress, now);
    this.hub = new TokenBucket(options.perHub.perSecond, options.perHub.burst, now);
    this.users = new KeyedBuckets(options.perUser, now);
  }

  /**
   * Charges a frame of a connection that is not ready, or a plain HTTP
   * request, to its address and to the hub; a refusal when either has spent
   * its budget.
   */
  chargeAddress(address: string, bytes: number): BudgetRefusal | undefined {
    if (!this.options.limitLoopback && isLoopback(address)) return undefined;
    const cost = this.cost(bytes);
    const wait = this.addresses.charge(networkKey(address), cost);
    if (wait !== undefined) return { over: 'address', waitSeconds: wait };
    if (this.hub.take(cost)) return undefined;
    return { over: 'hub', waitSeconds: wholeSeconds(this.hub, cost) };
  }

  /** Charges a frame of a ready connection; a refusal when its user has spent the budget of all their devices. */
  chargeUser(userId: string, bytes: number): BudgetRefusal | undefined {
    const wait = this.users.charge(userId, this.cost(bytes));
    return wait === undefined ? undefined : { over: 'user', waitSeconds: wait };
  }

  /**
   * Charges the bytes of an answer already sent to a ready connection's user; their budget may go into
   * debt, and refuses their frames and further answers until it is paid back.
   */
  chargeUserAnswer(userId: string, bytes: number): void {
    this.users.spend(userId, Math.floor(bytes / this.options.answerBytesPerToken));
  }

  /** A refusal when the user's budget is in debt (answers charged past it), else undefined: an answer may be built. */
  userInDebt(userId: string): BudgetRefusal | undefined {
    const wait = this.users.debtSeconds(userId);
    return wait === undefined ? undefined : { over: 'user', waitSeconds: wait };
  }

  /** Keys remembered now, for tests of the forgetting. */
  get tracked(): { addresses: number; users: number } {
    return { addresses: this.addresses.size, users: this.users.size };
  }

  private cost(bytes: number): number {
    return 1 + Math.floor(bytes / this.options.bytesPerToken);
  }
}

function wholeSeconds(bucket: TokenBucket, cost: number): number {
  return Math.max(1, Math.ceil(bucket.secondsUntil(cost)));
}

/**
 * One bucket per key, made when first charged. Full buckets (refilled, like
 * new ones) are forgotten in sweeps that run as the map doubles, so it holds
 * only keys that sent in about the last burst/perSecond seconds.
 */
class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private sweepAt = 1024;

  constructor(
    private readonly rate: BudgetRate,
    private readonly now?: () => number,
  ) {}

  /** undefined if charged; else whole seconds to wait until `cost` is back. */
  charge(key: string, cost: number): number | undefined {
    const bucket = this.buckets.get(key) ?? this.add(key);
    if (bucket.take(cost)) return undefined;
    return wholeSeconds(bucket, cost);
  }

  /** Takes `cost` whatever is left (TokenBucket.spend). */
  spend(key: string, cost: number): void {
    if (cost <= 0) return;
    (this.buckets.get(key) ?? this.add(key)).spend(cost);
  }

  /** Whole seconds until the key's debt is paid back, or undefined when it has none. */
  debtSeconds(key: string): number | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.secondsUntil(0) === 0) return undefined;
    return wholeSeconds(bucket, 0);
  }

  private add(key: string): TokenBucket {
    if (this.buckets.size >= this.sweepAt) {
      for (const [k, b] of this.buckets) if (b.full) this.buckets.delete(k);
      this.sweepAt = Math.max(1024, 2 * this.buckets.size);
    }
    const bucket = new TokenBucket(this.rate.perSecond, this.rate.burst, this.now);
    this.buckets.set(key, bucket);
    return bucket;
  }

  get size(): number {
    return this.buckets.size;
  }
}
