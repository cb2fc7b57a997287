import type { Low } from 'lowdb';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import type { HubLogger } from '../HubContext';
import type { RegistryFile } from './registrySchema';
import { isNoSpace, type StorageReserve } from './StorageReserve';

export type RegistryWriterOptions = {
  /** The registry as it is now; called as each write starts. */
  snapshot: () => RegistryFile;
  logger: HubLogger;
  /** How long batched changes may wait before they are written together. */
  batchDelayMs: number;
  /** Space the registry may free when the disk is full, so that a removal can still be written. */
  reserve?: StorageReserve;
  /** Bytes of the file as last read or written: about what the next write needs free. */
  fileBytes: () => number;
};

/** A write asked for and not yet started, and the changes to take back if it fails. */
type NextWrite = { undos: Array<() => void>; done: Promise<void> };

/**
 * The registry's one way to disk. Writes run one at a time, in the order
 * asked, and each stores the whole registry as it is when that write starts
 * (not when it was asked for): so a change taken back after its own write
 * failed is gone from memory before any later write is made. Changes asked
 * for while a write is under way share the next one. A failed write is
 * reported once and retried until one lands.
 */
export class RegistryWriter {
  private readonly writes = new SerialQueue();
  private next: NextWrite | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  /** Set while writes fail, so the failure is logged once, not every retry. */
  private failing = false;
  private closed = false;
  /**
   * Removals asked for, and how many of them the last successful write carried: while some are
   * not on disk, a write may use the reserve. Other changes may not: on a full disk, a member
   * creating rooms one failed write after another would otherwise spend it, and the registry
   * would grow into the space a removal needs.
   */
  private removalsAsked = 0;
  private removalsWritten = 0;

  constructor(
    private readonly db: Low<RegistryFile>,
    private readonly options: RegistryWriterOptions,
  ) {}

  /**
   * Resolves once the registry as it is now would survive a power cut (see
   * writeFileDurably). If that write fails, `undo` takes the change back
   * before any later write starts, so no later write stores a change its
   * requester was told failed.
   */
  write(undo?: () => void): Promise<void> {
    return this.enqueue(undo);
  }

  /**
   * Writes a change that takes access away (a device removal), which must land even on a full
   * disk: this write, and the retries of it, may use the reserve (StorageReserve). Never taken back.
   */
  writeRemoval(): Promise<void> {
    this.removalsAsked += 1;
    return this.enqueue();
  }

  private enqueue(undo?: () => void): Promise<void> {
    // This write carries whatever was batched.
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.next ??= this.queue();
    if (undo) this.next.undos.push(undo);
    return this.next.done;
  }

  /** For frequent small changes (receipts, last seen): written together within batchDelayMs. */
  writeSoon(): void {
    if (this.batchTimer || this.closed) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      // Reported and retried by run.
      this.write().catch(() => {});
    }, this.options.batchDelayMs);
    this.batchTimer.unref();
  }

  /** Writes what is batched; nothing is retried after this write. */
  close(): Promise<void> {
    this.closed = true;
    return this.write();
  }

  /** Drops what is batched and retries nothing more. */
  abandon(): void {
    this.closed = true;
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
  }

  private queue(): NextWrite {
    const next: NextWrite = { undos: [], done: Promise.resolve() };
    // A failed write is its callers' to see; the next one still runs.
    next.done = this.writes.run(() => this.run(next));
    return next;
  }

  private async run(next: NextWrite): Promise<void> {
    // From here on, a change waits for the next write: this one's data is fixed now.
    this.next = undefined;
    this.db.data = this.options.snapshot();
    const removals = this.removalsAsked;
    try {
      await this.writeUsingReserve(removals > this.removalsWritten);
    } catch (err) {
      for (const undo of next.undos.reverse()) undo();
      const retrying = this.closed ? '' : ' (retrying)';
      if (!this.failing) this.options.logger.error(`could not write registry.json${retrying}`, err);
      this.failing = true;
      // What was not taken back (removals, receipts) must still land; and a write that failed after its
      // rename may have left a change that was taken back on disk.
      this.writeSoon();
      throw err;
    }
    this.failing = false;
    this.removalsWritten = Math.max(this.removalsWritten, removals);
    // Room for two rewrites: a removal right after the one that used the reserve can be written too.
    this.options.reserve?.atLeast(2 * this.options.fileBytes());
  }

  /**
   * On a full disk, a write that carries a removal frees what it needs from the reserve and writes again; if even that
   * does not fit, frees all of it for a last try. Any other failure is the write's own.
   */
  private async writeUsingReserve(mayUseReserve: boolean): Promise<void> {
    let failure: unknown;
    try {
      await this.db.write();
      return;
    } catch (err) {
      if (!isNoSpace(err) || !this.options.reserve || !mayUseReserve) throw err;
      failure = err;
    }
    for (const bytes of [this.options.fileBytes(), Number.POSITIVE_INFINITY]) {
      try {
        if (!(await this.options.reserve.lend(bytes, () => this.db.write()))) break;
        return;
      } catch (err) {
        if (!isNoSpace(err)) throw err;
        failure = err;
      }
    }
    throw failure;
  }
}
