import { ErrorCode } from '../../../shared/protocol';
import { HubError } from '../HubError';
import { newDigitCode, newLinkCode, newToken, normalizeLinkCode, stripSeparators } from '../secrets';
import { FailureLimiter } from './FailureLimiter';

export type PairingGateOptions = {
  now?: () => number;
  /** Life of the 6-digit pairing code. Default 5 minutes. */
  codeTtlMs?: number;
  /** Life of a join token (join links, QR codes). Default 1 hour. */
  joinTokenTtlMs?: number;
  /** Life of a link code for adding a device to an existing user. Default 5 minutes. */
  linkCodeTtlMs?: number;
  /** Wrong secrets from one address before it is locked out. Default 5. */
  maxFailuresPerAddress?: number;
  /** First lockout; doubles with each further failure. Default 60 s. */
  lockoutMs?: number;
  /** Wrong codes from all addresses together before the code is replaced. Default 20. */
  maxFailuresPerCode?: number;
};

export type PairingCode = { code: string; expiresAt: number };
type Expiring = { expiresAt: number };

/** How long a replaced code is remembered, to tell "expired" from "wrong". */
const RETIRED_MEMORY_MS = 60 * 60 * 1000;
/** setTimeout's longest delay; a longer code life is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The secrets that let an unknown device in: the hub's rotating 6-digit code,
 * one-time join tokens and per-user link codes. All are single-use, expire,
 * and share one lockout per address.
 *
 * The code is replaced on a timer of its own when it expires, so a host that
 * shows it only has to listen (onCodeChange), never ask. It is also checked
 * for expiry whenever it is read or tried: a late timer (a busy event loop, a
 * clock moved forward) never lets an expired code in.
 */
export class PairingGate {
  private readonly now: () => number;
  private readonly opts: Required<Omit<PairingGateOptions, 'now'>>;
  private readonly limiter: FailureLimiter;
  private code: PairingCode;
  private failuresOnCode = 0;
  private readonly retiredCodes = new Map<string, number>();
  private readonly joinTokens = new Map<string, Expiring>();
  private readonly linkCodes = new Map<string, Expiring & { userId: string; deviceId: string }>();
  private readonly codeListeners = new Set<(code: PairingCode) => void>();
  private expiryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: PairingGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.opts = {
      codeTtlMs: options.codeTtlMs ?? 5 * 60_000,
      joinTokenTtlMs: options.joinTokenTtlMs ?? 60 * 60_000,
      linkCodeTtlMs: options.linkCodeTtlMs ?? 5 * 60_000,
      maxFailuresPerAddress: options.maxFailuresPerAddress ?? 5,
      lockoutMs: options.lockoutMs ?? 60_000,
      maxFailuresPerCode: options.maxFailuresPerCode ?? 20,
    };
    this.limiter = new FailureLimiter({
      maxFailures: this.opts.maxFailuresPerAddress,
      lockoutMs: this.opts.lockoutMs,
      maxLockoutMs: 60 * 60_000,
      now: this.now,
    });
    this.code = this.newCode();
  }

  /** The code to show now. */
  currentCode(): PairingCode {
    if (this.code.expiresAt <= this.now()) this.rotateCode();
    return this.code;
  }

  /**
   * Told each new code once, as it replaces the old one (expired, used, or
   * guessed at too often), synchronously. Returns the unsubscribe.
   */
  onCodeChange(listener: (code: PairingCode) => void): () => void {
    this.codeListeners.add(listener);
    return () => this.codeListeners.delete(listener);
  }

  /** Stops replacing the code on expiry (a stopped hub); it is still replaced when read or tried after expiry. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  /** Accepts the current code once, then replaces it. Throws HubError otherwise. */
  consumeCode(input: string, address: string): void {
    this.assertNotLocked(address);
    const current = this.currentCode();
    const typed = stripSeparators(input);
    if (typed === current.code) {
      this.limiter.recordSuccess(address);
      this.rotateCode();
      return;
    }
    this.fail(address);
    this.failuresOnCode += 1;
    if (this.failuresOnCode >= this.opts.maxFailuresPerCode) this.rotateCode();
    const retiredAt = this.retiredCodes.get(typed);
    if (retiredAt !== undefined && this.now() - retiredAt < RETIRED_MEMORY_MS) {
      throw new HubError(
        ErrorCode.PAIRING_CODE_EXPIRED,
        'That pairing code has expired or was already used. Ask for the current code shown by the hub.',
      );
    }
    throw new HubError(ErrorCode.PAIRING_CODE_INVALID, 'Wrong pairing code. Check the 6-digit code shown by the hub.');
  }

  createJoinToken(): { token: string; expiresAt: number } {
    this.prune();
    const entry = { token: newToken(), expiresAt: this.now() + this.opts.joinTokenTtlMs };
    this.joinTokens.set(entry.token, { expiresAt: entry.expiresAt });
    return entry;
  }

  /** Whether a join token can still be used (not consumed, not expired), so a host can replace a spent join link. */
  isJoinTokenLive(token: string): boolean {
    const entry = this.joinTokens.get(token);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  consumeJoinToken(token: string, address: string): void {
    this.assertNotLocked(address);
    const entry = this.joinTokens.get(token);
    this.joinTokens.delete(token);
    if (entry && entry.expiresAt > this.now()) {
      this.limiter.recordSuccess(address);
      return;
    }
    this.fail(address);
    throw new HubError(
      ErrorCode.JOIN_TOKEN_INVALID,
      'This join link is invalid, expired or already used. Ask for a new one.',
    );
  }

  /** A code that adds a device to `userId`; it dies with the device that made it. */
  createLinkCode(userId: string, deviceId: string): PairingCode {
    this.prune();
    let code = newLinkCode();
    while (this.linkCodes.has(code)) code = newLinkCode();
    const expiresAt = this.now() + this.opts.linkCodeTtlMs;
    this.linkCodes.set(code, { userId, deviceId, expiresAt });
    return { code, expiresAt };
  }

  /** Returns the user the link code was made for. */
  consumeLinkCode(input: string, address: string): string {
    this.assertNotLocked(address);
    const code = normalizeLinkCode(input);
    const entry = this.linkCodes.get(code);
    this.linkCodes.delete(code);
    if (entry && entry.expiresAt > this.now()) {
      this.limiter.recordSuccess(address);
      return entry.userId;
    }
    this.fail(address);
    throw new HubError(
      ErrorCode.LINK_CODE_INVALID,
      'This link code is invalid, expired or already used. Create a new one on your other device.',
    );
  }

  forgetLinkCodesOfDevice(deviceId: string): void {
    for (const [code, entry] of this.linkCodes) if (entry.deviceId === deviceId) this.linkCodes.delete(code);
  }

  private assertNotLocked(address: string): void {
    const wait = this.limiter.lockedFor(address);
    if (wait === 0) return;
    throw new HubError(ErrorCode.PAIRING_LOCKED, `Too many wrong codes. Try again in ${Math.ceil(wait / 1000)} s.`);
  }

  private fail(address: string): void {
    this.limiter.recordFailure(address);
  }

  private rotateCode(): void {
    this.retiredCodes.set(this.code.code, this.now());
    this.code = this.newCode();
    this.failuresOnCode = 0;
    this.prune();
    for (const listener of this.codeListeners) listener(this.code);
  }

  /** A code unlike every retired one (the current one is retired first), with its expiry timer set. */
  private newCode(): PairingCode {
    let code = newDigitCode(6);
    while (this.retiredCodes.has(code)) code = newDigitCode(6);
    const fresh = { code, expiresAt: this.now() + this.opts.codeTtlMs };
    this.scheduleExpiry(fresh.expiresAt);
    return fresh;
  }

  /** Unref'd: a code waiting to expire is no reason to keep a process alive. */
  private scheduleExpiry(at: number): void {
    clearTimeout(this.expiryTimer);
    if (this.stopped) return;
    const delay = Math.min(Math.max(0, at - this.now()), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(() => this.onExpiryTimer(), delay).unref();
  }

  private onExpiryTimer(): void {
    this.expiryTimer = undefined;
    // Early only if the clock went back, or the life is longer than one timer: wait for the rest.
    if (this.code.expiresAt > this.now()) this.scheduleExpiry(this.code.expiresAt);
    else this.rotateCode();
  }

  private prune(): void {
    const t = this.now();
    for (const [code, at] of this.retiredCodes) if (t - at >= RETIRED_MEMORY_MS) this.retiredCodes.delete(code);
    for (const [k, v] of this.joinTokens) if (v.expiresAt <= t) this.joinTokens.delete(k);
    for (const [k, v] of this.linkCodes) if (v.expiresAt <= t) this.linkCodes.delete(k);
  }
}
