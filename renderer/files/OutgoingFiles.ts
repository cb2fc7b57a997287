import type { Attachment } from '../../shared/protocol';
import { progressOf, TransferMeter, type TransferProgress } from '../../shared/files/transferProgress';
import { declaredMediaType, sendableFileName } from '../../shared/files/attachmentFields';
import { FileTransferError } from './fileErrors';
import { attachmentsOf, newFileOutboxEntry, withFile, withoutUploads, type FileOutboxEntry } from './fileOutboxEntry';
import type { FileOutboxStore } from './memoryFileOutbox';
import type { FileTransfer } from './prepareAttachment';
import { ReadyGate } from './ReadyGate';
import { isPassingFailure, UPLOAD_GONE_CODES } from './transferFailure';

/**
 * One message with files on its way: its files are hashed and uploaded one after another, then the message
 * goes into the sync client's outbox like any other (exactly once from there on).
 */
export type OutgoingBatch = {
  /** The message's clientMsgId. */
  readonly id: string;
  readonly conversationId: string;
  readonly text: string;
  readonly files: readonly { readonly name: string; readonly size: number }[];
  /**
   * preparing: reading the current file for its hash; waiting: for the hub (offline, or it restarts);
   * uploading: sending its bytes; failed: stopped, see error.
   */
  readonly phase: 'preparing' | 'waiting' | 'uploading' | 'failed';
  /** The file being worked on (index into files). */
  readonly current: number;
  /** Bytes of every file the hub has, over all of them. */
  readonly progress: TransferProgress;
  /** preparing only: how much of the current file is hashed, in percent. */
  readonly preparedPercent: number;
  /** failed only: what went wrong, in the hub's words where it gave some. */
  readonly error: string | undefined;
};

/** What the sync client says of a message it holds; undefined once the hub acknowledged it. */
export type PendingMessage = {
  readonly status: 'queued' | 'sending' | 'failed';
  readonly lastError?: string | undefined;
};

export type OutgoingFilesDeps = {
  /** Where messages with files wait, their bytes included, across reloads. */
  store: FileOutboxStore;
  transfer: FileTransfer;
  /** client.send with the message's own clientMsgId: a second call with it queues nothing new. */
  send: (conversationId: string, text: string, attachments: Attachment[], clientMsgId: string) => Promise<unknown>;
  pendingOf: (clientMsgId: string) => PendingMessage | undefined;
  /** Drops a message the hub refused from the sync client's outbox, to send it again with new uploads. */
  discardPending: (clientMsgId: string) => void;
  /** Deletes a finished upload nobody will send (the batch was cancelled). */
  discard: (uploadId: string) => Promise<void>;
  /** A new clientMsgId (22 random base64url characters). */
  newId: () => string;
  now: () => number;
  /** After a failure that passes, while the hub seems reachable: wait this long before trying again. */
  retryDelayMs?: number;
};

type Run = { entry: FileOutboxEntry; abort: AbortController; meter: TransferMeter };

const DEFAULT_RETRY_DELAY_MS = 5_000;

/**
 * The messages with files this device is sending, kept in `store` from the moment they are composed, so a
 * file attached offline or during a reload still goes, once. Work that needs the hub waits until `setReady`
 * says it can be reached. A store for useSyncExternalStore: each change makes a new snapshot array.
 */
export class OutgoingFiles {
  private batches: readonly OutgoingBatch[] = [];
  private readonly runs = new Map<string, Run>();
  private readonly listeners = new Set<() => void>();
  private readonly gate = new ReadyGate();
  private restoring: Promise<void> | undefined;

  constructor(private readonly deps: OutgoingFilesDeps) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly OutgoingBatch[] => this.batches;

  /** The hub can be reached (the client is connected), or no longer. */
  setReady(ready: boolean): void {
    this.gate.set(ready);
    const from = ready ? 'waiting' : 'uploading';
    if (this.batches.some((b) => b.phase === from)) this.patchAll(from, ready ? 'uploading' : 'waiting');
  }

  /** Picks up what an earlier page left (once): unfinished uploads resume, uploaded messages are sent. */
  restore(): Promise<void> {
    this.restoring ??= this.deps.store.list().then(
      (entries) => {
        for (const entry of entries) if (!this.runs.has(entry.clientMsgId)) this.resume(entry);
      },
      (err: unknown) => console.warn('roost: messages with files could not be read back.', err),
    );
    return this.restoring;
  }

  /** Starts sending `text` with `files` to a conversation, offline too; returns the message's clientMsgId. */
  start(conversationId: string, text: string, files: readonly File[]): string {
    const entry = newFileOutboxEntry({
      clientMsgId: this.deps.newId(),
      conversationId,
      text,
      createdAt: this.deps.now(),
      files: files.map((f) => ({ blob: f, name: sendableFileName(f.name), type: declaredMediaType(f.type) })),
    });
    const run = this.track(entry);
    // Stored before anything goes to the hub, so a reload from here on resumes it. A failed write leaves it
    // in memory, to go while this page stays.
    const stored = this.deps.store.add(entry).catch((err: unknown) => console.warn('roost: not kept.', err));
    void stored.then(() => this.run(run));
    return entry.clientMsgId;
  }

  /** The sync client's outbox changed: messages handed to it are forgotten once acknowledged. */
  outboxChanged(): void {
    for (const run of this.runs.values()) if (run.entry.status === 'sent') this.settleSent(run);
  }

  /** Stops a batch and forgets it: its uploads are deleted on the hub, nothing is sent. */
  cancel(id: string): void {
    const run = this.runs.get(id);
    if (!run || run.entry.status === 'sent') return;
    run.abort.abort(new FileTransferError('CANCELLED', 'Cancelled.'));
    for (const { uploadId } of run.entry.files) if (uploadId) void this.deps.discard(uploadId).catch(() => {});
    this.forget(id);
  }

  /** Tries a failed batch again from the file that failed (an interrupted upload resumes where it was). */
  retry(id: string): void {
    const run = this.runs.get(id);
    if (run?.entry.status !== 'failed') return;
    this.save(run, { ...run.entry, status: 'pending', error: undefined });
    run.abort = new AbortController();
    this.patch(id, { phase: 'preparing', error: undefined });
    void this.run(run);
  }

  private resume(entry: FileOutboxEntry): void {
    if (entry.status === 'sent') {
      this.runs.set(entry.clientMsgId, { entry, abort: new AbortController(), meter: meterOf(entry) });
      this.settleSent(this.runs.get(entry.clientMsgId)!);
      return;
    }
    const run = this.track(entry);
    if (entry.status === 'pending') void this.run(run);
  }

  private async run(run: Run): Promise<void> {
    const { signal } = run.abort;
    try {
      await this.describeAll(run, signal);
      for (;;) {
        if (!this.gate.isOpen) this.patch(run.entry.clientMsgId, { phase: 'waiting' });
        await this.gate.wait(signal);
        try {
          await this.uploadAll(run, signal);
          await this.handOver(run);
          return;
        } catch (err) {
          if (signal.aborted || !isPassingFailure(err)) throw err;
          // Offline, a hub restarting, a dropped connection: wait for the hub, then go on from where it stopped.
          this.patch(run.entry.clientMsgId, { phase: 'waiting' });
          if (this.gate.isOpen) await delay(this.deps.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, signal);
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      const error = err instanceof Error ? err.message : String(err);
      this.save(run, { ...run.entry, status: 'failed', error });
      this.patch(run.entry.clientMsgId, { phase: 'failed', error });
    }
  }

  private async describeAll(run: Run, signal: AbortSignal): Promise<void> {
    const id = run.entry.clientMsgId;
    for (const [i, file] of run.entry.files.entries()) {
      if (file.sha256) continue;
      this.patch(id, { phase: 'preparing', current: i, preparedPercent: 0 });
      const described = await this.deps.transfer.describe(file.blob, file.type, {
        signal,
        onHashed: (bytes) => this.patchIfRunning(run, { preparedPercent: percentOf(bytes, file.size) }),
      });
      this.save(run, withFile(run.entry, i, described));
    }
  }

  private async uploadAll(run: Run, signal: AbortSignal): Promise<void> {
    const id = run.entry.clientMsgId;
    for (const [i, file] of run.entry.files.entries()) {
      if (file.uploadId) continue;
      const before = bytesBefore(run.entry, i);
      this.patch(id, { phase: 'uploading', current: i, progress: run.meter.update(before, this.deps.now()) });
      const uploadId = await this.deps.transfer.upload(file.blob, file.sha256!, {
        signal,
        onUploaded: (bytes) =>
          this.patchIfRunning(run, { progress: run.meter.update(before + bytes, this.deps.now()) }),
      });
      this.save(run, withFile(run.entry, i, { uploadId }));
    }
    for (const [i, file] of run.entry.files.entries()) {
      const { thumbnail } = file;
      if (!thumbnail || thumbnail.uploadId) continue;
      // A few KiB after the file itself: its progress is not worth showing.
      const uploadId = await this.deps.transfer.upload(thumbnail.blob, thumbnail.sha256, {
        signal,
        onUploaded: () => {},
      });
      this.save(run, withFile(run.entry, i, { thumbnail: { ...thumbnail, uploadId } }));
    }
  }

  /** Into the sync client's outbox, which sends it exactly once; this entry stays until the hub has it. */
  private async handOver(run: Run): Promise<void> {
    run.abort.signal.throwIfAborted();
    const { conversationId, text, clientMsgId } = run.entry;
    await this.deps.send(conversationId, text, attachmentsOf(run.entry)!, clientMsgId);
    this.save(run, { ...run.entry, status: 'sent' });
    this.remove(clientMsgId);
    this.settleSent(run);
  }

  private settleSent(run: Run): void {
    const id = run.entry.clientMsgId;
    const pending = this.deps.pendingOf(id);
    if (pending?.status !== 'failed') {
      if (!pending) this.forget(id);
      return;
    }
    // Refused for good: the sync client shows it failed. Only uploads the hub dropped are ours to mend.
    if (!UPLOAD_GONE_CODES.includes(pending.lastError ?? '')) return this.forget(id);
    this.deps.discardPending(id);
    this.save(run, withoutUploads(run.entry));
    run.meter = meterOf(run.entry);
    this.show(run);
    void this.run(run);
  }

  private track(entry: FileOutboxEntry): Run {
    const run: Run = { entry, abort: new AbortController(), meter: meterOf(entry) };
    this.runs.set(entry.clientMsgId, run);
    this.show(run);
    return run;
  }

  private show(run: Run): void {
    const { entry } = run;
    const done = entry.files.reduce((sum, f) => sum + (f.uploadId ? f.size : 0), 0);
    const batch: OutgoingBatch = {
      id: entry.clientMsgId,
      conversationId: entry.conversationId,
      text: entry.text,
      files: entry.files.map((f) => ({ name: f.name, size: f.size })),
      phase: entry.status === 'failed' ? 'failed' : 'preparing',
      current: Math.max(
        0,
        entry.files.findIndex((f) => !f.uploadId),
      ),
      progress: progressOf(done, run.meter.total, undefined),
      preparedPercent: 0,
      error: entry.error,
    };
    this.batches = [...this.batches.filter((b) => b.id !== batch.id), batch];
    this.emit();
  }

  /** Keeps the entry's progress, in memory at once and in the store in the background. */
  private save(run: Run, entry: FileOutboxEntry): void {
    run.entry = entry;
    void this.deps.store.update(entry).catch((err: unknown) => console.warn('roost: progress not kept.', err));
  }

  private forget(id: string): void {
    this.runs.delete(id);
    void this.deps.store.delete(id).catch((err: unknown) => console.warn('roost: not forgotten.', err));
    this.remove(id);
  }

  private patchIfRunning(run: Run, change: Partial<OutgoingBatch>): void {
    if (this.runs.get(run.entry.clientMsgId) === run && !run.abort.signal.aborted)
      this.patch(run.entry.clientMsgId, change);
  }

  private patch(id: string, change: Partial<OutgoingBatch>): void {
    if (!this.batches.some((b) => b.id === id)) return;
    this.batches = this.batches.map((b) => (b.id === id ? { ...b, ...change } : b));
    this.emit();
  }

  private patchAll(from: OutgoingBatch['phase'], to: OutgoingBatch['phase']): void {
    this.batches = this.batches.map((b) => (b.phase === from ? { ...b, phase: to } : b));
    this.emit();
  }

  private remove(id: string): void {
    if (!this.batches.some((b) => b.id === id)) return;
    this.batches = this.batches.filter((b) => b.id !== id);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function meterOf(entry: FileOutboxEntry): TransferMeter {
  return new TransferMeter(entry.files.reduce((sum, f) => sum + f.size, 0));
}

function bytesBefore(entry: FileOutboxEntry, index: number): number {
  return entry.files.slice(0, index).reduce((sum, f) => sum + f.size, 0);
}

function percentOf(part: number, whole: number): number {
  return whole <= 0 ? 100 : Math.floor((part / whole) * 100);
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
