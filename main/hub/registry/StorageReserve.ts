import { randomFillSync } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import type { HubLogger } from '../HubContext';

export type ReserveFs = Pick<typeof nodeFs, 'open' | 'stat' | 'truncate' | 'unlink'>;

export type StorageReserveOptions = {
  /** e.g. <dataDir>/reserved-space; created 0600. */
  file: string;
  /** Bytes kept. 0 keeps none. */
  bytes: number;
  logger: HubLogger;
  now?: () => number;
  /** After a failed refill (the disk still full), the next one waits this long. Default 5 s. */
  retryMs?: number;
  fs?: ReserveFs;
};

/** Written in pieces this big, each of fresh random bytes (see fill). */
const CHUNK = 1024 * 1024;
/** Freed in steps this big: a removal takes what it needs and leaves the rest for the next one. */
const STEP = 64 * 1024;
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

export function isNoSpace(err: unknown): boolean {
  return NO_SPACE.has((err as NodeJS.ErrnoException | null)?.code ?? '');
}

/**
 * Disk space kept for the hub's own records: a file of `bytes` in the data directory that only
 * the registry may free. When a registry write (a device removal, say) finds the disk full, the
 * registry frees part of the reserve and writes again, so a removal can be written even after a
 * member filled the disk with messages. Message writes never free it: the log asks
 * `admitsMessages()` before each write, and while the reserve is not whole (it was used, or the
 * disk was already full at start) messages are refused; the reserve is refilled first, as soon
 * as there is space again. The refill is tried at most once per retryMs while the disk is full.
 */
export class StorageReserve {
  private size = 0;
  private target: number;
  private busy: Promise<void> = Promise.resolve();
  /** A refill is under way or queued. */
  private refilling = false;
  /** While the registry is using freed space, nothing may take it back. */
  private lent = 0;
  private lastFailure = Number.NEGATIVE_INFINITY;
  private warned = false;
  private closed = false;
  private readonly now: () => number;
  private readonly retryMs: number;
  private readonly fs: ReserveFs;

  private constructor(private readonly options: StorageReserveOptions) {
    this.target = options.bytes;
    this.now = options.now ?? Date.now;
    this.retryMs = options.retryMs ?? 5000;
    this.fs = options.fs ?? nodeFs;
  }

  /** Creates or completes the reserve. A full disk does not fail the start: messages wait until it is whole. */
  static async open(options: StorageReserveOptions): Promise<StorageReserve> {
    const reserve = new StorageReserve(options);
    reserve.size = await reserve.fs.stat(options.file).then(
      (s) => s.size,
      (err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      },
    );
    await reserve.refillNow();
    return reserve;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.size;
  }

  /** Whether a message may be written now. When not, a refill is started (at most once per retryMs). */
  admitsMessages(): boolean {
    if (this.size >= this.target && this.lent === 0) return true;
    this.refillSoon();
    return false;
  }

  /**
   * Frees up to `bytes` of the reserve and runs `write` (a registry write that found the disk
   * full) while no refill can take the space back. Resolves with what `write` does; false,
   * without running it, if the reserve held nothing.
   */
  async lend(bytes: number, write: () => Promise<void>): Promise<boolean> {
    this.lent += 1;
    try {
      const freed = await this.serial(() => this.shrink(bytes));
      if (!freed) return false;
      await write();
      return true;
    } finally {
      this.lent -= 1;
      // Whatever the write left free belongs to the reserve before any message.
      this.refillSoon(true);
    }
  }

  /** Grows the reserve to at least `bytes` (it must hold more than the registry takes to rewrite); not one of 0. */
  atLeast(bytes: number): void {
    if (this.options.bytes === 0 || bytes <= this.target) return;
    this.target = bytes;
    this.refillSoon(true);
  }

  /** Waits for a refill under way; none starts afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.busy;
  }

  private refillSoon(force = false): void {
    if (this.closed || this.refilling || this.lent > 0 || this.size >= this.target) return;
    if (!force && this.now() - this.lastFailure < this.retryMs) return;
    this.refilling = true;
    void this.serial(() => this.fill()).finally(() => {
      this.refilling = false;
    });
  }

  private async refillNow(): Promise<void> {
    await this.serial(() => this.fill());
  }

  /** Runs one change of the file at a time. Never rejects: failures are logged. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.busy.then(task);
    this.busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Random bytes, fresh for every chunk: zeros (or one repeated chunk) would be stored as holes or
   * compressed away by file systems that compress or deduplicate (ZFS, btrfs), and reserve nothing.
   */
  private async fill(): Promise<void> {
    if (this.closed || this.lent > 0 || this.size >= this.target) return;
    let handle: nodeFs.FileHandle | undefined;
    try {
      handle = await this.fs.open(this.options.file, 'a', 0o600);
      const chunk = Buffer.allocUnsafe(CHUNK);
      while (this.size < this.target && this.lent === 0) {
        const piece = chunk.subarray(0, Math.min(CHUNK, this.target - this.size));
        randomFillSync(piece);
        const { bytesWritten } = await handle.write(piece, 0, piece.length, this.size);
        if (bytesWritten === 0) break;
        this.size += bytesWritten;
      }
      // Not synced: file systems count the space when the write is accepted (delayed allocation included),
      // and after a power cut the hub fills the reserve again at start.
      if (this.size >= this.target && this.warned) {
        this.options.logger.info(`the disk space kept for the hub's own records is whole again (${this.size} bytes)`);
        this.warned = false;
      }
    } catch (err) {
      this.lastFailure = this.now();
      if (!isNoSpace(err)) this.options.logger.error(`could not write ${this.options.file}`, err);
      else if (!this.warned) {
        this.options.logger.warn(
          `the disk holding ${this.options.file} is full: the hub keeps ${this.size} of the ${this.target} bytes ` +
            `it reserves for device removals, and refuses messages until it has them. Free disk space.`,
        );
      }
      this.warned = true;
      // The kernel may hold part of a failed write: the size on disk is the truth.
      this.size = await this.fs.stat(this.options.file).then(
        (s) => s.size,
        () => this.size,
      );
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  private async shrink(bytes: number): Promise<boolean> {
    if (this.size === 0) return false;
    // The old file goes only after the rename: the new one needs its size free, and a little more.
    const keep = Math.max(0, this.size - (Math.ceil(bytes / STEP) + 1) * STEP);
    if (keep === 0) await this.fs.unlink(this.options.file);
    else await this.fs.truncate(this.options.file, keep);
    this.options.logger.warn(
      `the disk is full: the hub used ${this.size - keep} bytes of the space it reserves for device removals ` +
        `(${keep} left). Free disk space: messages are refused until the reserve is whole again.`,
    );
    this.size = keep;
    this.warned = true;
    return true;
  }
}
