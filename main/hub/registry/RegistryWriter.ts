import type { Low } from 'lowdb';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import type { HubLogger } from '../HubContext';
import type { RegistryFile } from './registrySchema';

export type RegistryWriterOptions = {
  /** The registry as it is now; called as each write starts. */
  snapshot: () => RegistryFile;
  logger: HubLogger;
  /** How long batched changes may wait before they are written together. */
  batchDelayMs: number;
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
    try {
      await this.db.write();
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
  }
}
