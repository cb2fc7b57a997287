import { MemoryDeviceKeys } from './MemoryDeviceKeys';
import type { MessageWire } from '../protocol';
import type { CachedSnapshot, ClientStorage, StoredCredentials, StoredOutboxEntry, TimelineRange } from './storage';

/** A JSON round trip, so callers can neither change what is stored nor keep references into it. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * ClientStorage in memory: for tests, and for a client that must not persist
 * anything. `failWrites` makes every write reject, to test how the client
 * copes with a broken disk.
 */
export class MemoryStorage implements ClientStorage {
  failWrites = false;
  /** The device's key, kept beside its credentials as the browser keeps both in one database. */
  readonly deviceKeys = new MemoryDeviceKeys();
  private credentials: StoredCredentials | undefined;
  private snapshot: CachedSnapshot | undefined;
  private readonly ranges = new Map<string, TimelineRange>();
  private readonly messages = new Map<string, Map<number, MessageWire>>();
  private readonly outbox = new Map<string, StoredOutboxEntry>();

  async loadCredentials(): Promise<StoredCredentials | undefined> {
    return this.credentials && copy(this.credentials);
  }

  async saveCredentials(credentials: StoredCredentials): Promise<void> {
    this.checkWritable();
    this.credentials = copy(credentials);
  }

  async loadSnapshot(): Promise<CachedSnapshot | undefined> {
    return this.snapshot && copy(this.snapshot);
  }

  async saveSnapshot(snapshot: CachedSnapshot): Promise<void> {
    this.checkWritable();
    this.snapshot = copy(snapshot);
  }

  async loadRange(conversationId: string): Promise<TimelineRange | undefined> {
    const range = this.ranges.get(conversationId);
    return range && copy(range);
  }

  async saveMessages(conversationId: string, messages: readonly MessageWire[], range: TimelineRange): Promise<void> {
    this.checkWritable();
    let stored = this.messages.get(conversationId);
    if (!stored) this.messages.set(conversationId, (stored = new Map()));
    for (const m of messages) stored.set(m.seq, copy(m));
    this.ranges.set(conversationId, copy(range));
  }

  async loadMessages(conversationId: string, beforeSeq: number, limit: number): Promise<MessageWire[]> {
    const stored = [...(this.messages.get(conversationId)?.values() ?? [])]
      .filter((m) => m.seq < beforeSeq)
      .sort((a, b) => a.seq - b.seq);
    return copy(stored.slice(Math.max(0, stored.length - limit)));
  }

  async deleteConversation(conversationId: string): Promise<void> {
    this.checkWritable();
    this.messages.delete(conversationId);
    this.ranges.delete(conversationId);
  }

  async loadOutbox(): Promise<StoredOutboxEntry[]> {
    return copy([...this.outbox.values()]);
  }

  async saveOutboxEntry(entry: StoredOutboxEntry): Promise<void> {
    this.checkWritable();
    this.outbox.set(entry.clientMsgId, copy(entry));
  }

  async deleteOutboxEntry(clientMsgId: string): Promise<void> {
    this.checkWritable();
    this.outbox.delete(clientMsgId);
  }

  async clear(): Promise<void> {
    this.checkWritable();
    this.credentials = undefined;
    this.snapshot = undefined;
    this.ranges.clear();
    this.messages.clear();
    this.outbox.clear();
  }

  /** Stored message count of a conversation (for tests). */
  messageCount(conversationId: string): number {
    return this.messages.get(conversationId)?.size ?? 0;
  }

  private checkWritable(): void {
    if (this.failWrites) throw new Error('MemoryStorage: writes are set to fail (failWrites)');
  }
}
