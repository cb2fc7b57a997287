import type { MessageWire } from '../protocol';
import { snapshotOf } from './cache';
import { checkMessage } from './cacheSchema';
import type { RoostState } from './clientState';
import type { Timeline } from './conversationTimeline';
import type { ClientStorage, StoredCredentials } from './storage';
import { WriteQueue } from './writeQueue';

/**
 * Everything the client writes to storage, one write after another (so a
 * clear never overtakes an earlier write), and the scrollback reads. Failed
 * writes are reported through `onError`; the client carries on from memory.
 */
export class CacheWriter {
  private readonly queue: WriteQueue;
  private snapshotQueued = false;
  /** Per conversation: storage holds its first message (kept apart from the in-memory window, which may be shorter). */
  private readonly reachedStart = new Map<string, boolean>();

  constructor(
    private readonly storage: ClientStorage,
    private readonly getState: () => RoostState,
    onError: (what: string, err: unknown) => void,
  ) {
    this.queue = new WriteQueue(onError);
  }

  /** Queues a write; resolves true once done, false if it failed. */
  write(what: string, task: () => Promise<void>): Promise<boolean> {
    return this.queue.enqueue(what, task);
  }

  /** Resolves when every write queued so far is done. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  loaded(reachedStart: Record<string, boolean>): void {
    for (const [id, reached] of Object.entries(reachedStart)) this.reachedStart.set(id, reached);
  }

  saveCredentials(credentials: StoredCredentials): void {
    void this.write('credentials', () => this.storage.saveCredentials(credentials));
  }

  /** Coalesced: one write of the state as it is when the queue gets to it. */
  saveSnapshotSoon(): void {
    if (this.snapshotQueued) return;
    this.snapshotQueued = true;
    void this.write('snapshot', async () => {
      this.snapshotQueued = false;
      const snapshot = snapshotOf(this.getState());
      if (snapshot) await this.storage.saveSnapshot(snapshot);
    });
  }

  /** Stores what a timeline change added, with the new range, if anything changed. */
  saveTimeline(id: string, before: Timeline, after: Timeline, added: readonly MessageWire[]): void {
    if (after.reachedStart) this.reachedStart.set(id, true);
    if (added.length === 0 && after.cursor === before.cursor && after.reachedStart === before.reachedStart) return;
    const range = { cursor: after.cursor, reachedStart: this.reachedStart.get(id) ?? false };
    void this.write('messages', () => this.storage.saveMessages(id, added, range));
  }

  /** The newest `limit` stored messages older than beforeSeq, and whether older ones may exist. */
  async loadOlder(
    id: string,
    beforeSeq: number,
    limit: number,
  ): Promise<{ messages: MessageWire[]; hasMore: boolean }> {
    const raw = await this.storage.loadMessages(id, beforeSeq, limit);
    const messages = raw.flatMap((m) => {
      const checked = checkMessage(m);
      return checked.ok && checked.value.conversationId === id ? [checked.value] : [];
    });
    return { messages, hasMore: raw.length >= limit || !(this.reachedStart.get(id) ?? false) };
  }

  /** Forgets everything stored (the account is gone). */
  clear(): void {
    this.reachedStart.clear();
    void this.write('clearing storage', () => this.storage.clear());
  }
}
