import type { MessageWire } from '../protocol';
import { SerialQueue } from '../util/SerialQueue';
import { snapshotOf } from './cache';
import { checkMessage } from './cacheSchema';
import type { ClientCore } from './ClientCore';
import { deletedMessage, type Timeline } from './conversationTimeline';
import { WarningCode, type RoostWarning } from './errors';
import { toStored, type OutboxEntry } from './outbox';
import type { ClientStorage, StoredCredentials } from './storage';

/** Where the snapshot written comes from: ClientCore's published state. */
export type StateSource = Pick<ClientCore, 'state'>;

/**
 * Everything the client writes to storage, one write after another (so a
 * clear never overtakes an earlier write), and the scrollback reads. Failed
 * writes and reads are reported through `onWarning`; the client carries on
 * from memory.
 */
export class CacheWriter {
  private readonly writes = new SerialQueue();
  private snapshotQueued = false;
  /** Per conversation: storage holds its first message (kept apart from the in-memory window, which may be shorter). */
  private readonly reachedStart = new Map<string, boolean>();

  constructor(
    private readonly storage: ClientStorage,
    private readonly source: StateSource,
    private readonly onWarning: ((warning: RoostWarning) => void) | undefined,
  ) {}

  /** Resolves when every write queued so far is done. */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  loaded(reachedStart: Record<string, boolean>): void {
    for (const [id, reached] of Object.entries(reachedStart)) this.reachedStart.set(id, reached);
  }

  saveCredentials(credentials: StoredCredentials): void {
    void this.write('credentials', () => this.storage.saveCredentials(credentials));
  }

  /** Resolves true once stored, false if that failed (reported). */
  saveOutboxEntry(entry: OutboxEntry): Promise<boolean> {
    return this.write('outbox entry', () => this.storage.saveOutboxEntry(toStored(entry)));
  }

  deleteOutboxEntry(clientMsgId: string): void {
    void this.write('outbox entry removal', () => this.storage.deleteOutboxEntry(clientMsgId));
  }

  /** Coalesced: one write of the state as it is when the queue gets to it. */
  saveSnapshotSoon(): void {
    if (this.snapshotQueued) return;
    this.snapshotQueued = true;
    void this.write('snapshot', async () => {
      this.snapshotQueued = false;
      const snapshot = snapshotOf(this.source.state);
      if (snapshot) await this.storage.saveSnapshot(snapshot);
    });
  }

  /** Stores what a timeline change added, with the new range, if anything changed. */
  saveTimeline(id: string, before: Timeline, after: Timeline, added: readonly MessageWire[]): void {
    if (after.reachedStart) this.reachedStart.set(id, true);
    if (added.length === 0 && after.cursor === before.cursor && after.reachedStart === before.reachedStart) return;
    const range = { cursor: after.cursor, reachedStart: this.reachedStart.get(id) ?? false };
    void this.write('messages', () => this.storage.saveMessages(id, added, range));
    for (const m of added) if (m.deletes !== undefined) this.eraseStoredText(id, m.deletes);
  }

  /**
   * A deletion arrived: the message it deleted loses its text in storage too, if storage holds it (it may hold
   * older messages than the timeline in memory). Only a message already stored is replaced, so the stored run
   * never gains an island.
   */
  private eraseStoredText(id: string, seq: number): void {
    void this.write('a deleted message', async () => {
      const [stored] = await this.storage.loadMessages(id, seq + 1, 1);
      const range = await this.storage.loadRange(id);
      if (stored?.seq !== seq || stored.deletes !== undefined || !range || (stored.deleted && stored.text === ''))
        return;
      await this.storage.saveMessages(id, [deletedMessage(stored)], range);
    });
  }

  /** Forgets what is stored of a conversation the user left. */
  forgetConversation(id: string): void {
    this.reachedStart.delete(id);
    void this.write('removal of a left conversation', () => this.storage.deleteConversation(id));
  }

  /**
   * The newest `limit` stored messages older than beforeSeq, and whether older ones may exist.
   * Never rejects: a failed read is reported and reads as nothing stored.
   */
  async loadOlder(
    id: string,
    beforeSeq: number,
    limit: number,
  ): Promise<{ messages: MessageWire[]; hasMore: boolean }> {
    let raw: MessageWire[];
    try {
      raw = await this.storage.loadMessages(id, beforeSeq, limit);
    } catch (err) {
      this.warnStorage('reading stored messages', err);
      return { messages: [], hasMore: true };
    }
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

  /** Resolves true once the write is done, false if it failed (reported). Never rejects. */
  private write(what: string, task: () => Promise<void>): Promise<boolean> {
    return this.writes.run(task).then(
      () => true,
      (err: unknown) => {
        this.warnStorage(`writing ${what}`, err);
        return false;
      },
    );
  }

  private warnStorage(what: string, err: unknown): void {
    this.onWarning?.({ code: WarningCode.STORAGE_FAILED, message: `${what} failed: ${String(err)}`, detail: err });
  }
}
