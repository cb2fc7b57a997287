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
  /** Each user's codes, oldest first. */
  private readonly byUser = new Map<string, string[]>();

  constructor(
    private readonly options: { ttlMs: number; maxPerDevice: number; maxPerUser: number },
    private readonly now: () => number,
  ) {}

  create(userId: string, deviceId: string): LinkCode {
    this.forgetExpired();
    // A device's oldest goes past its quota, and a user's past theirs (all their devices together): a member with
    // many devices cannot hold every handle and push other users' codes out.
    while (this.codesOf(this.byDevice, deviceId).length >= this.options.maxPerDevice)
      this.removeCode(this.codesOf(this.byDevice, deviceId)[0]!);
    while (this.codesOf(this.byUser, userId).length >= this.options.maxPerUser)
      this.removeCode(this.codesOf(this.byUser, userId)[0]!);
    // Every handle taken (by maxPerUser-code users, hundreds of them): the oldest code anywhere gives its handle up.
    if (this.byCode.size >= HANDLES) this.dropOldest();
    let code = newLinkCode();
    while (this.byCode.has(handleOf(code))) code = newLinkCode();
    const expiresAt = this.now() + this.options.ttlMs;
    this.byCode.set(handleOf(code), { code, userId, deviceId, expiresAt });
    this.byDevice.set(deviceId, [...this.codesOf(this.byDevice, deviceId), code]);
    this.byUser.set(userId, [...this.codesOf(this.byUser, userId), code]);
    return { code, expiresAt };
  }

  /** Removes the code with this handle and returns it and whom it was for, if it was live. */
  takeByHandle(handle: string): { code: string; userId: string; deviceId: string } | undefined {
    const entry = this.byCode.get(handle);
    if (!entry) return undefined;
    this.remove(handle, entry);
    return entry.expiresAt > this.now()
      ? { code: entry.code, userId: entry.userId, deviceId: entry.deviceId }
      : undefined;
  }

  forgetDevice(deviceId: string): void {
    for (const code of this.codesOf(this.byDevice, deviceId)) this.removeCode(code);
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
    without(this.byDevice, entry.deviceId, entry.code);
    without(this.byUser, entry.userId, entry.code);
  }

  private removeCode(code: string): void {
    const entry = this.byCode.get(handleOf(code));
    if (entry?.code === code) this.remove(handleOf(code), entry);
  }

  private codesOf(index: Map<string, string[]>, key: string): string[] {
    return index.get(key) ?? [];
  }
}

/** Link codes draw from 30 characters (secrets.ts): this many handles exist. */
const HANDLES = 30 ** LINK_CODE_HANDLE_LENGTH;

function handleOf(code: string): string {
  return code.slice(0, LINK_CODE_HANDLE_LENGTH);
}

function without(index: Map<string, string[]>, key: string, code: string): void {
  const left = (index.get(key) ?? []).filter((c) => c !== code);
  if (left.length > 0) index.set(key, left);
  else index.delete(key);
}
