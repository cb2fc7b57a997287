import { LINK_CODE_HANDLE_LENGTH } from '../../../shared/protocol';
import { newLinkCode } from '../secrets';

export type LinkCode = { code: string; expiresAt: number };
type Entry = { userId: string; deviceId: string; expiresAt: number };

/**
 * The live link codes, indexed by handle (the code's first characters, which name it in a SPAKE2 exchange: no two
 * live codes share one) and by the device that made them. A device holds at most
 * `maxPerDevice`: a new one replaces its oldest, so a flood of createLinkCode keeps O(1) work per
 * request and a bounded table. Nothing here scans every code.
 */
export class LinkCodes {
  /** By handle, oldest first; with one lifetime for all, that is also the order they expire in. */
  private readonly byCode = new Map<string, Entry & { code: string }>();
  /** Each device's codes, oldest first. */
  private readonly byDevice = new Map<string, string[]>();

  constructor(
    private readonly options: { ttlMs: number; maxPerDevice: number },
    private readonly now: () => number,
  ) {}

  create(userId: string, deviceId: string): LinkCode {
    this.forgetExpired();
    const own = this.byDevice.get(deviceId) ?? [];
    while (own.length >= this.options.maxPerDevice) this.byCode.delete(handleOf(own.shift()!));
    // Every handle taken: the oldest code anywhere gives its handle up, as a device's oldest does above.
    if (this.byCode.size >= HANDLES) this.dropOldest();
    // Read again: the oldest code may have been this device's.
    const codes = this.byDevice.get(deviceId) ?? [];
    let code = newLinkCode();
    while (this.byCode.has(handleOf(code))) code = newLinkCode();
    const expiresAt = this.now() + this.options.ttlMs;
    this.byCode.set(handleOf(code), { code, userId, deviceId, expiresAt });
    codes.push(code);
    this.byDevice.set(deviceId, codes);
    return { code, expiresAt };
  }

  /** Removes the code with this handle and returns it and whom it was for, if it was live. */
  takeByHandle(handle: string): { code: string; userId: string } | undefined {
    const entry = this.byCode.get(handle);
    if (!entry) return undefined;
    this.remove(handle, entry);
    return entry.expiresAt > this.now() ? { code: entry.code, userId: entry.userId } : undefined;
  }

  forgetDevice(deviceId: string): void {
    for (const code of this.byDevice.get(deviceId) ?? []) this.byCode.delete(handleOf(code));
    this.byDevice.delete(deviceId);
  }

  /** Live and expired-but-not-yet-forgotten codes (for tests). */
  get size(): number {
    return this.byCode.size;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [handle, entry] of this.byCode) {
      if (entry.expiresAt > now) break;
      this.remove(handle, entry);
    }
  }

  private dropOldest(): void {
    const [handle, entry] = this.byCode.entries().next().value!;
    this.remove(handle, entry);
  }

  private remove(handle: string, entry: Entry & { code: string }): void {
    this.byCode.delete(handle);
    const codes = this.byDevice.get(entry.deviceId);
    if (!codes) return;
    const left = codes.filter((c) => c !== entry.code);
    if (left.length > 0) this.byDevice.set(entry.deviceId, left);
    else this.byDevice.delete(entry.deviceId);
  }
}

/** Link codes draw from 30 characters (secrets.ts): this many handles exist. */
const HANDLES = 30 ** LINK_CODE_HANDLE_LENGTH;

function handleOf(code: string): string {
  return code.slice(0, LINK_CODE_HANDLE_LENGTH);
}
