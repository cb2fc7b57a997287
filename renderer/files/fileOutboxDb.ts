import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { FileOutboxEntrySchema, type FileOutboxEntry } from './fileOutboxEntry';
import { MemoryFileOutbox, type FileOutboxStore } from './memoryFileOutbox';

/** IndexedDB layout: bump and extend `upgrade` on change (the entries' own shape has FILE_OUTBOX_VERSION). */
const DB_VERSION = 1;

/** An entry as stored: its files without their bytes, which sit in `blobs` and are written once. */
type StoredEntry = Omit<FileOutboxEntry, 'files'> & { files: Omit<FileOutboxEntry['files'][number], 'blob'>[] };

interface FileOutboxDb extends DBSchema {
  entries: { key: string; value: StoredEntry; indexes: { createdAt: number } };
  /** Keyed [clientMsgId, index of the file]. */
  blobs: { key: [string, number]; value: Blob };
}

/**
 * The database of one device on one hub, apart from the sync client's (IndexedDbStorage.ts): it holds the
 * files' bytes, and a device paired again with the same hub starts with an empty one.
 */
export function fileOutboxName(hubId: string, deviceId: string): string {
  return `roost-files/${hubId}/${deviceId}`;
}

/**
 * The messages with files of one device on one hub, in IndexedDB. Usable at once: each call waits for the
 * database to open. Where the browser refuses IndexedDB (some private modes), they are kept in memory instead,
 * as the sync client does, so files still go while the page stays open.
 */
export function openFileOutbox(name: string, onRefused: (err: unknown) => void = warnRefused): FileOutboxStore {
  const store: Promise<FileOutboxStore> = openDB<FileOutboxDb>(name, DB_VERSION, {
    upgrade(database) {
      database.createObjectStore('entries', { keyPath: 'clientMsgId' }).createIndex('createdAt', 'createdAt');
      database.createObjectStore('blobs');
    },
    // A newer Roost in another tab wants the database: give way rather than block it (as IndexedDbStorage does).
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
  }).then(
    (db) => new IndexedDbFileOutbox(db),
    (err: unknown) => {
      onRefused(err);
      return new MemoryFileOutbox();
    },
  );
  return {
    list: () => store.then((s) => s.list()),
    add: (entry) => store.then((s) => s.add(entry)),
    update: (entry) => store.then((s) => s.update(entry)),
    delete: (clientMsgId) => store.then((s) => s.delete(clientMsgId)),
  };
}

class IndexedDbFileOutbox implements FileOutboxStore {
  constructor(private readonly db: IDBPDatabase<FileOutboxDb>) {}

  async list(): Promise<FileOutboxEntry[]> {
    const tx = this.db.transaction(['entries', 'blobs']);
    const rows = await tx.objectStore('entries').index('createdAt').getAll();
    const joined = await Promise.all(
      rows.map(async (row) => ({
        ...row,
        files: await Promise.all(
          row.files.map(async (file, i) => ({
            ...file,
            blob: await tx.objectStore('blobs').get([row.clientMsgId, i]),
          })),
        ),
      })),
    );
    await tx.done;
    const entries: FileOutboxEntry[] = [];
    for (const row of joined) {
      // Written by this code, but read back across versions: what does not parse is left alone, not sent wrong.
      const parsed = FileOutboxEntrySchema.safeParse(row);
      if (parsed.success) entries.push(parsed.data);
      else console.warn('roost: a message with files could not be read back and stays unsent.', parsed.error);
    }
    return entries;
  }

  async add(entry: FileOutboxEntry): Promise<void> {
    const tx = this.db.transaction(['entries', 'blobs'], 'readwrite');
    const writes: Promise<unknown>[] = entry.files.map((file, i) =>
      tx.objectStore('blobs').put(file.blob, [entry.clientMsgId, i]),
    );
    writes.push(tx.objectStore('entries').put(withoutBlobs(entry)));
    await Promise.all([...writes, tx.done]);
  }

  async update(entry: FileOutboxEntry): Promise<void> {
    const tx = this.db.transaction('entries', 'readwrite');
    // Only an entry still there: a late progress write must not bring back one that was cancelled or sent.
    if (await tx.store.getKey(entry.clientMsgId)) await tx.store.put(withoutBlobs(entry));
    await tx.done;
  }

  async delete(clientMsgId: string): Promise<void> {
    const tx = this.db.transaction(['entries', 'blobs'], 'readwrite');
    const blobs = IDBKeyRange.bound([clientMsgId, 0], [clientMsgId, Number.MAX_SAFE_INTEGER]);
    await Promise.all([tx.objectStore('entries').delete(clientMsgId), tx.objectStore('blobs').delete(blobs), tx.done]);
  }
}

function withoutBlobs(entry: FileOutboxEntry): StoredEntry {
  return { ...entry, files: entry.files.map(({ blob: _bytes, ...file }) => file) };
}

function warnRefused(err: unknown): void {
  console.warn('roost: IndexedDB is unavailable; files waiting to be sent are kept until this page closes.', err);
}
