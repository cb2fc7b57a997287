import { ErrorCode } from '../../../shared/protocol';
import type { PairingSecretKind, PairingState } from '../../../shared/hub/pairingState';
import { HubError } from '../HubError';
import { newToken, normalizeLinkCode } from '../secrets';
import { FailedAttempts } from './FailedAttempts';
import { FailureLimiter, type GuessRefusal } from './FailureLimiter';
import { JoinLinkClaims } from './JoinLinkClaims';
import { LinkCodes } from './LinkCodes';
import { resolvePairingOptions, type PairingGateOptions, type ResolvedPairingOptions } from './pairingOptions';
import { PairingWindow } from './PairingWindow';

export type { PairingGateOptions } from './pairingOptions';
export type PairingCode = { code: string; expiresAt: number };
type Expiring = { expiresAt: number };

/**
 * The secrets that let an unknown device in, and who may try them. Codes (the 6-digit pairing code
 * and link codes) are accepted only while the owner has pairing open (PairingWindow), within a
 * hub-wide ceiling of wrong guesses per window, and per address and network within FailureLimiter's
 * limits. Join tokens (join links, QR codes: 256 bits, hopeless to guess) work whether pairing is open
 * or not. Every secret is single-use and expires. Failed attempts are kept for the owner to see.
 */
export class PairingGate {
  private readonly now: () => number;
  private readonly opts: ResolvedPairingOptions;
  private readonly limiter: FailureLimiter;
  private readonly window: PairingWindow;
  private readonly linkCodes: LinkCodes;
  private readonly failures: FailedAttempts;
  private readonly joinTokens = new Map<string, Expiring>();
  private readonly joinLinks = new JoinLinkClaims();
  private readonly listeners = new Set<(state: PairingState) => void>();

  constructor(options: PairingGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.opts = resolvePairingOptions(options);
    this.limiter = new FailureLimiter({
      maxFailures: this.opts.maxFailuresPerAddress,
      lockoutMs: this.opts.lockoutMs,
      maxLockoutMs: this.opts.maxLockoutMs,
      maxEntries: this.opts.maxTrackedAddresses,
      networkBurst: this.opts.networkGuessBurst,
      networkRefillMs: this.opts.networkGuessRefillMs,
      now: this.now,
    });
    this.window = new PairingWindow(
      {
        now: this.now,
        windowMs: this.opts.windowMs,
        maxWindowMs: this.opts.maxWindowMs,
        maxWrongGuesses: this.opts.maxWrongGuessesPerWindow,
      },
      () => this.emit(),
    );
    this.linkCodes = new LinkCodes(
      {
        ttlMs: this.opts.linkCodeTtlMs,
        maxPerDevice: this.opts.maxLinkCodesPerDevice,
        maxPerUser: this.opts.maxLinkCodesPerUser,
      },
      this.now,
    );
    this.failures = new FailedAttempts(this.opts.recentFailures);
  }

  state(): PairingState {
    const open = this.window.openNow;
    const common = {
      wrongGuesses: this.window.wrongGuesses,
      maxWrongGuesses: this.opts.maxWrongGuessesPerWindow,
      failedAttempts: this.failures.total,
      recentFailures: this.failures.recent(),
    };
    return open ? { open: true, code: open.code, closesAt: open.closesAt, ...common } : { open: false, ...common };
  }

  /** The code to show now, while pairing is open. */
  currentCode(): PairingCode | undefined {
    const open = this.window.openNow;
    return open && { code: open.code, expiresAt: open.closesAt };
  }

  /**
   * Told the state at every change (opened, extended, closed, code replaced, a failed attempt),
   * synchronously. Returns the unsubscribe.
   */
  onChange(listener: (state: PairingState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens pairing (default 10 minutes, at most an hour), or extends the open window; see PairingWindow.open. */
  open(durationMs?: number): void {
    this.window.open(durationMs);
  }

  close(): void {
    this.window.close();
  }

  /** Stops the window's timer (a stopped hub). */
  stop(): void {
    this.window.stop();
  }

  /**
   * Starts one guess at the pairing code: a SPAKE2 exchange keyed by `secret` (PROTOCOL.md 6.2). The hub cannot
   * know whether the device typed the right code until the exchange ends, so the guess counts as wrong now, against
   * the address, its network and the window, and a success takes it back. Throws HubError when refused unseen.
   */
  beginCodeGuess(address: string): CodeGuess {
    this.admitCodeGuess('code', address);
    const secret = this.window.openNow!.code;
    return this.pendingGuess('code', address, secret, () => {
      if (!this.window.openNow) throw pairingClosed();
      // Another device may have used the code meanwhile: a code pairs once.
      if (this.window.openNow.code !== secret) throw wrongPairingCode();
      this.window.replaceCode();
    });
  }

  /**
   * As beginCodeGuess, for the link code named by `handle` (its first characters): the code is spent by this
   * attempt, right or wrong. Throws LINK_CODE_INVALID (counted) for a handle no live code has.
   */
  beginLinkCodeGuess(handle: string, address: string): CodeGuess & { userId: string; deviceId: string } {
    this.admitCodeGuess('linkCode', address);
    const entry = this.linkCodes.takeByHandle(normalizeLinkCode(handle));
    const guess = this.pendingGuess('linkCode', address, entry?.code ?? '', () => {
      if (!this.window.openNow) throw pairingClosed();
    });
    if (!entry) {
      guess.failed();
      throw wrongLinkCode();
    }
    return { ...guess, userId: entry.userId, deviceId: entry.deviceId };
  }

  private pendingGuess(kind: PairingSecretKind, address: string, secret: string, onSuccess: () => void): CodeGuess {
    this.limiter.recordFailure(address);
    this.window.countWrongGuess();
    const countedIn = this.window.generation;
    let settled = false;
    return {
      secret,
      succeeded: () => {
        if (settled) return;
        settled = true;
        try {
          onSuccess();
        } catch (err) {
          // Pairing closed, or the code was used, meanwhile: this guess stays counted, as any that does not pair.
          const closed = err instanceof HubError && err.code === ErrorCode.PAIRING_CLOSED;
          this.failures.record({ address, kind, outcome: closed ? 'closed' : 'wrong' }, this.now());
          this.emit();
          throw err;
        }
        this.limiter.recordSuccess(address);
        this.limiter.refundNetworkGuess(address);
        // Counted in an earlier window: that count is gone with it, and this one never counted the guess.
        if (this.window.generation === countedIn) this.window.refundWrongGuess();
      },
      failed: () => {
        if (settled) return;
        settled = true;
        this.failures.record({ address, kind, outcome: 'wrong' }, this.now());
        this.emit();
      },
    };
  }

  createJoinToken(): { token: string; expiresAt: number } {
    const now = this.now();
    for (const [k, v] of this.joinTokens) if (v.expiresAt <= now) this.joinTokens.delete(k);
    const entry = { token: newToken(), expiresAt: now + this.opts.joinTokenTtlMs };
    this.joinTokens.set(entry.token, { expiresAt: entry.expiresAt });
    this.joinLinks.issued(entry.token, entry.expiresAt, now);
    return entry;
  }

  /**
   * Spends a join link's token and returns a fresh join token in its place (PROTOCOL.md 6.3): the
   * link stays in the browser's history, the fresh token only in the page that claimed it. A refusal
   * is listed for the owner, like a failed `pair` with a join token, and counts against no one. Listeners
   * are told, so the desktop app shows a new link at once.
   */
  claimJoinToken(token: string, address: string): { token: string; expiresAt: number } {
    const wait = this.limiter.lockedFor(address);
    if (wait > 0) this.refuse('joinToken', address, { reason: 'locked', waitMs: wait });
    const now = this.now();
    const verdict = this.joinLinks.verdict(token, this.isJoinTokenLive(token), now);
    if (verdict === 'claimable') {
      this.joinTokens.delete(token);
      this.joinLinks.spend(token);
      const fresh = { token: newToken(), expiresAt: now + this.opts.claimedJoinTokenTtlMs };
      this.joinTokens.set(fresh.token, { expiresAt: fresh.expiresAt });
      this.emit();
      return fresh;
    }
    // Counted nowhere, as a wrong join token in `pair` (consumeJoinToken says why).
    this.failures.record({ address, kind: 'joinToken', outcome: 'wrong' }, now);
    this.emit();
    throw JOIN_LINK_REFUSALS[verdict]();
  }

  /** Whether a join token can still be used (not consumed, not expired), so a host can replace a spent join link. */
  isJoinTokenLive(token: string): boolean {
    const entry = this.joinTokens.get(token);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  /** Join tokens work whether pairing is open or not; only an address locked out by wrong codes is refused. */
  consumeJoinToken(token: string, address: string): void {
    const wait = this.limiter.lockedFor(address);
    if (wait > 0) this.refuse('joinToken', address, { reason: 'locked', waitMs: wait });
    const entry = this.joinTokens.get(token);
    this.joinTokens.delete(token);
    if (entry && entry.expiresAt > this.now()) {
      this.limiter.recordSuccess(address);
      return;
    }
    // Not counted against the address: 256 random bits cannot be guessed, and counting free attempts would
    // let anyone fill the table of guessers (no window, no ceiling) and turn code pairing away from newcomers.
    this.failures.record({ address, kind: 'joinToken', outcome: 'wrong' }, this.now());
    this.emit();
    throw new HubError(
      ErrorCode.JOIN_TOKEN_INVALID,
      'This join link is invalid, expired or already used. Ask for a new one.',
    );
  }

  /** A code that adds a device to `userId`; it dies with the device that made it, or its newer codes replace it. */
  createLinkCode(userId: string, deviceId: string): PairingCode {
    return this.linkCodes.create(userId, deviceId);
  }

  forgetLinkCodesOfDevice(deviceId: string): void {
    this.linkCodes.forgetDevice(deviceId);
  }

  /** Live link codes (for tests: the table stays bounded). */
  get linkCodeCount(): number {
    return this.linkCodes.size;
  }

  /** Throws unless a code from `address` may be looked at now; none of these refusals counts as a guess. */
  private admitCodeGuess(kind: PairingSecretKind, address: string): void {
    const open = this.window.openNow;
    if (!open) {
      this.failures.record({ address, kind, outcome: 'closed' }, this.now());
      this.emit();
      throw pairingClosed();
    }
    if (this.window.exhausted) {
      this.failures.record({ address, kind, outcome: 'refused' }, this.now());
      this.emit();
      throw new HubError(
        ErrorCode.PAIRING_LIMIT_REACHED,
        'Too many wrong codes were tried on this hub, so it refuses codes until its owner opens pairing again ' +
          `(this pairing window closes in ${waitText(open.closesAt - this.now())}). ` +
          "Ask the hub's owner to open pairing again, or for a join link.",
      );
    }
    const refusal = this.limiter.refusal(address);
    if (refusal) this.refuse(kind, address, refusal);
  }

  private refuse(kind: PairingSecretKind, address: string, refusal: GuessRefusal): never {
    this.failures.record({ address, kind, outcome: 'refused' }, this.now());
    this.emit();
    const wait = waitText(refusal.waitMs);
    switch (refusal.reason) {
      case 'locked':
        throw new HubError(ErrorCode.PAIRING_LOCKED, `Too many wrong codes from this device. Try again in ${wait}.`);
      case 'network':
        throw new HubError(ErrorCode.PAIRING_LOCKED, `Too many wrong codes from your network. Try again in ${wait}.`);
      case 'full':
        throw new HubError(
          ErrorCode.PAIRING_BUSY,
          `Too many devices have tried wrong codes on this hub recently. Try again in ${wait}, ` +
            "or ask the hub's owner for a join link.",
        );
    }
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }
}

/**
 * One guess at a code, counted as wrong until it succeeds. `secret` keys the exchange; exactly one of succeeded()
 * (which throws HubError if the code was used meanwhile) and failed() takes effect, the first called.
 */
export type CodeGuess = { readonly secret: string; succeeded(): void; failed(): void };

function pairingClosed(): HubError {
  return new HubError(
    ErrorCode.PAIRING_CLOSED,
    "Pairing is closed on this hub. Ask the hub's owner to open pairing, then try again " +
      '(or ask them for a join link).',
  );
}

function wrongPairingCode(): HubError {
  return new HubError(
    ErrorCode.PAIRING_CODE_INVALID,
    'Wrong pairing code, or it was used meanwhile. Check the 6-digit code shown by the hub.',
  );
}

export function wrongLinkCode(): HubError {
  return new HubError(
    ErrorCode.LINK_CODE_INVALID,
    'This link code is invalid, expired, already used or replaced by a newer one. ' +
      'Create a new one on your other device.',
  );
}

export { wrongPairingCode };

const JOIN_LINK_REFUSALS = {
  used: () =>
    new HubError(
      ErrorCode.JOIN_TOKEN_USED,
      'This join link was already used: it was opened on another device or in another tab, and a join link ' +
        "works once. Ask for a new one, or for the hub's pairing code.",
    ),
  expired: () =>
    new HubError(
      ErrorCode.JOIN_TOKEN_EXPIRED,
      "This join link has expired. Ask for a new one, or for the hub's pairing code.",
    ),
  unknown: () =>
    new HubError(
      ErrorCode.JOIN_TOKEN_INVALID,
      'This join link is not valid on this hub. Check that it was copied whole, or ask for a new one.',
    ),
} as const;

/** "45 s" under two minutes, else whole minutes rounded up. */
function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
