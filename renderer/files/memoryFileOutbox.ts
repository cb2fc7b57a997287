import type { FileOutboxEntry } from './fileOutboxEntry';

/** Where messages with files wait until the sync client's outbox holds them (fileOutboxDb.ts keeps them). */
export interface FileOutboxStore {
  /** Every entry, oldest first, with its files' bytes. */
  list(): Promise<FileOutboxEntry[]>;
  /** A new entry, its files' bytes included. */
  add(entry: FileOutboxEntry): Promise<void>;
  /** An entry's progress (hashes, upload ids, status); the bytes stored by `add` stay as they are. */
  update(entry: FileOutboxEntry): Promise<void>;
  delete(clientMsgId: string): Promise<void>;
}

/** In memory only: where the browser refuses IndexedDB, and in tests. Forgotten when the page closes. */
export class MemoryFileOutbox implements FileOutboxStore {
  private readonly entries = new Map<string, FileOutboxEntry>();

  list(): Promise<FileOutboxEntry[]> {
    return Promise.resolve([...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt));
  }

  add(entry: FileOutboxEntry): Promise<void> {
    this.entries.set(entry.clientMsgId, entry);
    return Promise.resolve();
  }

  update(entry: FileOutboxEntry): Promise<void> {
    if (this.entries.has(entry.clientMsgId)) this.entries.set(entry.clientMsgId, entry);
    return Promise.resolve();
  }

  delete(clientMsgId: string): Promise<void> {
    this.entries.delete(clientMsgId);
    return Promise.resolve();
  }
}
