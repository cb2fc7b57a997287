import type { Attachment } from '../../shared/protocol';
import { progressOf, TransferMeter, type TransferProgress } from '../../shared/files/transferProgress';
import { FileTransferError } from './fileErrors';
import type { PrepareAttachment } from './prepareAttachment';

/**
 * One message with files on its way: its files are hashed and uploaded one after another, then the message
 * goes into the sync client's outbox like any other (exactly once from there on).
 */
export type OutgoingBatch = {
  readonly id: string;
  readonly conversationId: string;
  readonly text: string;
  readonly files: readonly { readonly name: string; readonly size: number }[];
  /** preparing: reading the current file for its hash; uploading: sending its bytes; failed: stopped, see error. */
  readonly phase: 'preparing' | 'uploading' | 'failed';
  /** The file being worked on (index into files). */
  readonly current: number;
  /** Bytes of every file the hub has, over all of them. */
  readonly progress: TransferProgress;
  /** preparing only: how much of the current file is hashed, in percent. */
  readonly preparedPercent: number;
  /** failed only: what went wrong, in the hub's words where it gave some. */
  readonly error: string | undefined;
};

export type OutgoingFilesDeps = {
  prepare: PrepareAttachment;
  send: (conversationId: string, text: string, attachments: Attachment[]) => Promise<unknown>;
  /** Deletes a finished upload nobody will send (the batch was cancelled). */
  discard: (uploadId: string) => Promise<void>;
  now: () => number;
};

type Work = { files: readonly File[]; done: (Attachment | undefined)[]; abort: AbortController; meter: TransferMeter };

let nextId = 0;

/**
 * The messages with files this page is sending, as a store for useSyncExternalStore: each change makes a
 * new snapshot array, so a component re-renders only when something changed.
 */
export class OutgoingFiles {
  private batches: readonly OutgoingBatch[] = [];
  private readonly work = new Map<string, Work>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: OutgoingFilesDeps) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly OutgoingBatch[] => this.batches;

  /** Starts sending `text` with `files` to a conversation; returns the batch's id. */
  start(conversationId: string, text: string, files: readonly File[]): string {
    const id = `outgoing-${++nextId}`;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const work: Work = { files, done: [], abort: new AbortController(), meter: new TransferMeter(total) };
    this.work.set(id, work);
    this.batches = [
      ...this.batches,
      {
        id,
        conversationId,
        text,
        files: files.map((f) => ({ name: f.name, size: f.size })),
        phase: 'preparing',
        current: 0,
        progress: progressOf(0, total, undefined),
        preparedPercent: 0,
        error: undefined,
      },
    ];
    this.emit();
    void this.run(id, work);
    return id;
  }

  /** Stops a batch and forgets it: its uploads are deleted on the hub, nothing is sent. */
  cancel(id: string): void {
    const work = this.work.get(id);
    if (!work) return;
    this.work.delete(id);
    work.abort.abort(new FileTransferError('CANCELLED', 'Cancelled.'));
    for (const attachment of work.done) if (attachment) void this.deps.discard(attachment.uploadId).catch(() => {});
    this.remove(id);
  }

  /** Tries a failed batch again from the file that failed (an interrupted upload resumes where it was). */
  retry(id: string): void {
    const old = this.work.get(id);
    const batch = this.batches.find((b) => b.id === id);
    if (!old || batch?.phase !== 'failed') return;
    const work: Work = { ...old, abort: new AbortController() };
    this.work.set(id, work);
    this.patch(id, { phase: 'preparing', error: undefined });
    void this.run(id, work);
  }

  private async run(id: string, work: Work): Promise<void> {
    const { signal } = work.abort;
    try {
      for (let i = 0; i < work.files.length; i++) {
        if (work.done[i]) continue;
        const file = work.files[i]!;
        const before = work.files.slice(0, i).reduce((sum, f) => sum + f.size, 0);
        this.patch(id, { phase: 'preparing', current: i, preparedPercent: 0 });
        work.done[i] = await this.deps.prepare(file, {
          signal,
          onHashed: (bytes) => this.patchIfCurrent(id, work, { preparedPercent: percentOf(bytes, file.size) }),
          onUploaded: (bytes) =>
            this.patchIfCurrent(id, work, {
              phase: 'uploading',
              progress: work.meter.update(before + bytes, this.deps.now()),
            }),
        });
      }
      signal.throwIfAborted();
      const batch = this.batches.find((b) => b.id === id)!;
      await this.deps.send(batch.conversationId, batch.text, work.done as Attachment[]);
      this.work.delete(id);
      this.remove(id);
    } catch (err) {
      if (signal.aborted) return;
      this.patch(id, { phase: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  }

  private patchIfCurrent(id: string, work: Work, change: Partial<OutgoingBatch>): void {
    if (this.work.get(id) === work && !work.abort.signal.aborted) this.patch(id, change);
  }

  private patch(id: string, change: Partial<OutgoingBatch>): void {
    this.batches = this.batches.map((b) => (b.id === id ? { ...b, ...change } : b));
    this.emit();
  }

  private remove(id: string): void {
    this.batches = this.batches.filter((b) => b.id !== id);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function percentOf(part: number, whole: number): number {
  return whole <= 0 ? 100 : Math.floor((part / whole) * 100);
}
