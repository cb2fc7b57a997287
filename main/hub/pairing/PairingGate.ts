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
  /** Told whenever the pairing code changes, so a host can show the new one. */
  onCodeChange?: (code: PairingCode) => void;
};

export type PairingCode = { code: string; expiresAt: number };
type Expiring = { expiresAt: number };

/** How long a replaced code is remembered, to tell "expired" from "wrong". */
const RETIRED_MEMORY_MS = 60 * 60 * 1000;

/**
 * The secrets that let an unknown device in: the hub's rotating 6-digit code,
 * one-time join tokens and per-user link codes. All are single-use, expire,
 * and share one lockout per address.
 */
export class PairingGate {
  private readonly now: () => number;
  private readonly opts: Required<Omit<PairingGateOptions, 'now' | 'onCodeChange'>>;
  private readonly limiter: FailureLimiter;
  private code: PairingCode | undefined;
  private failuresOnCode = 0;
  private readonly retiredCodes = new Map<string, number>();
  private readonly joinTokens = new Map<string, Expiring>();
  private readonly linkCodes = new Map<string, Expiring & { userId: string; deviceId: string }>();
  /** Told whenever the pairing code changes, so a host can show the new one. */
  onCodeChange: ((code: PairingCode) => void) | undefined;

  constructor(options: PairingGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.onCodeChange = options.onCodeChange;
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
  }

  /** The code to show now; replaced lazily once expired. */
  currentCode(): PairingCode {
    if (!this.code || this.code.expiresAt <= this.now()) this.rotateCode();
    return this.code!;
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
    if (this.code) this.retiredCodes.set(this.code.code, this.now());
    let code = newDigitCode(6);
    while (code === this.code?.code || this.retiredCodes.has(code)) code = newDigitCode(6);
    this.code = { code, expiresAt: this.now() + this.opts.codeTtlMs };
    this.failuresOnCode = 0;
    this.prune();
    this.onCodeChange?.(this.code);
  }

  private prune(): void {
    const t = this.now();
    for (const [code, at] of this.retiredCodes) if (t - at >= RETIRED_MEMORY_MS) this.retiredCodes.delete(code);
    for (const [k, v] of this.joinTokens) if (v.expiresAt <= t) this.joinTokens.delete(k);
    for (const [k, v] of this.linkCodes) if (v.expiresAt <= t) this.linkCodes.delete(k);
  }
}
