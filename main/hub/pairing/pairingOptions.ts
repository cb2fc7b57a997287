export type PairingGateOptions = {
  now?: () => number;
  /** How long pairing stays open when opened without a duration. Default 10 minutes. */
  windowMs?: number;
  /** The longest a window can be opened for; longer requests are cut to it. Default 1 hour. */
  maxWindowMs?: number;
  /**
   * Wrong codes (pairing and link codes) checked per window, from all addresses together; then codes are
   * refused until a new window. Default 500: a guess matches a 6-digit code with probability at most
   * 1/(10^6 - 499), so one window gives an attacker at most 500/999,501 (0.050%).
   */
  maxWrongGuessesPerWindow?: number;
  /** Life of a join token (join links, QR codes). Default 1 hour. */
  joinTokenTtlMs?: number;
  /** Life of the fresh join token a claimed join link is traded for (PROTOCOL.md 6.3). Default 15 minutes. */
  claimedJoinTokenTtlMs?: number;
  /** Life of a link code for adding a device to an existing user. Default 5 minutes. */
  linkCodeTtlMs?: number;
  /** Live link codes per device; a new one replaces the oldest. Default 3. */
  maxLinkCodesPerDevice?: number;
  /** Live link codes per user, all their devices together; a new one replaces the user's oldest. Default 3. */
  maxLinkCodesPerUser?: number;
  /** Wrong secrets from one device address before it is locked out. Default 5. */
  maxFailuresPerAddress?: number;
  /** First lockout; doubles with each further failure. Default 60 s. */
  lockoutMs?: number;
  /** Lockouts never grow beyond this. Default 1 hour. */
  maxLockoutMs?: number;
  /**
   * Guessing addresses (and networks) remembered at most. A locked one is never forgotten early:
   * when the table is full, new guessers are refused (PAIRING_BUSY) until the oldest is forgotten.
   * Default 10,000.
   */
  maxTrackedAddresses?: number;
  /** Wrong codes one network (an IPv6 /64, an IPv4 address) may make at once. Default 20. */
  networkGuessBurst?: number;
  /** One more wrong code per network per this long, up to the burst. Default 10 s (6 a minute). */
  networkGuessRefillMs?: number;
  /** Failed attempts listed for the owner (gathered by address, kind and outcome). Default 20. */
  recentFailures?: number;
};

export type ResolvedPairingOptions = Required<Omit<PairingGateOptions, 'now'>>;

/** Every pairing default, in one place. */
export const PAIRING_DEFAULTS: ResolvedPairingOptions = {
  windowMs: 10 * 60_000,
  maxWindowMs: 60 * 60_000,
  maxWrongGuessesPerWindow: 500,
  joinTokenTtlMs: 60 * 60_000,
  claimedJoinTokenTtlMs: 15 * 60_000,
  linkCodeTtlMs: 5 * 60_000,
  maxLinkCodesPerDevice: 3,
  maxLinkCodesPerUser: 3,
  maxFailuresPerAddress: 5,
  lockoutMs: 60_000,
  maxLockoutMs: 60 * 60_000,
  maxTrackedAddresses: 10_000,
  networkGuessBurst: 20,
  networkGuessRefillMs: 10_000,
  recentFailures: 20,
};

export function resolvePairingOptions(options: PairingGateOptions): ResolvedPairingOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([k, v]) => k !== 'now' && v !== undefined));
  return { ...PAIRING_DEFAULTS, ...defined };
}
