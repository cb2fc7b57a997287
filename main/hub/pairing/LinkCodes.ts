import { newLinkCode } from '../secrets';

export type LinkCode = { code: string; expiresAt: number };
type Entry = { userId: string; deviceId: string; expiresAt: number };

/**
 * The live link codes, indexed by code and by the device that made them. A device holds at most
 * `maxPerDevice`: a new one replaces its oldest, so a flood of createLinkCode keeps O(1) work per
 * request and a bounded table. Nothing here scans every code.
 */
export class LinkCodes {
  /** Oldest first; with one lifetime for all, that is also the order they expire in. */
  private readonly byCode = new Map<string, Entry>();
  /** Each device's codes, oldest first. */
  private readonly byDevice = new Map<string, string[]>();

  constructor(
    private readonly options: { ttlMs: number; maxPerDevice: number },
    private readonly now: () => number,
  ) {}

  create(userId: string, deviceId: string): LinkCode {
    this.forgetExpired();
    const codes = this.byDevice.get(deviceId) ?? [];
    while (codes.length >= this.options.maxPerDevice) this.byCode.delete(codes.shift()!);
    let code = newLinkCode();
    while (this.byCode.has(code)) code = newLinkCode();
    const expiresAt = this.now() + this.options.ttlMs;
    this.byCode.set(code, { userId, deviceId, expiresAt });
    codes.push(code);
    this.byDevice.set(deviceId, codes);
    return { code, expiresAt };
  }

  /** Removes the code and returns whom it was for, if it was live. */
  consume(code: string): { userId: string } | undefined {
    const entry = this.byCode.get(code);
    if (!entry) return undefined;
    this.remove(code, entry);
    return entry.expiresAt > this.now() ? { userId: entry.userId } : undefined;
  }

  forgetDevice(deviceId: string): void {
    for (const code of this.byDevice.get(deviceId) ?? []) this.byCode.delete(code);
    this.byDevice.delete(deviceId);
  }

  /** Live and expired-but-not-yet-forgotten codes (for tests). */
  get size(): number {
    return this.byCode.size;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [code, entry] of this.byCode) {
      if (entry.expiresAt > now) break;
      this.remove(code, entry);
    }
  }

  private remove(code: string, entry: Entry): void {
    this.byCode.delete(code);
    const codes = this.byDevice.get(entry.deviceId);
    if (!codes) return;
    const left = codes.filter((c) => c !== code);
    if (left.length > 0) this.byDevice.set(entry.deviceId, left);
    else this.byDevice.delete(entry.deviceId);
  }
}
