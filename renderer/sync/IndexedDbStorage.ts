import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { MessageWire } from '../../shared/protocol';
import type {
  CachedSnapshot,
  ClientStorage,
  StoredCredentials,
  StoredOutboxEntry,
  TimelineRange,
} from '../../shared/sync/storage';
import type { StoredSecret } from './plainHttpDeviceKey';
import { WebCryptoDeviceKeys } from './webCryptoDeviceKeys';

/**
 * IndexedDB layout. Bump DB_VERSION and extend `upgrade` on change; IndexedDB
 * runs the upgrade steps in order when an older database is opened. The
 * snapshot's own shape is versioned separately (CACHE_SCHEMA_VERSION).
 */
export const DB_VERSION = 2;

export interface RoostDb extends DBSchema {
  /** 'credentials' and 'snapshot'. */
  kv: { key: 'credentials' | 'snapshot'; value: StoredCredentials | CachedSnapshot };
  ranges: { key: string; value: TimelineRange & { conversationId: string } };
  messages: { key: [string, number]; value: MessageWire };
  outbox: { key: string; value: StoredOutboxEntry };
  /** Version 2: this device's key for the hub, under 'device' (webCryptoDeviceKeys.ts). */
  deviceKeys: { key: 'device'; value: StoredDeviceKey };
}

/** A non-extractable WebCrypto pair; a raw secret only on pages without WebCrypto (plainHttpDeviceKey.ts). */
export type StoredDeviceKey = CryptoKeyPair | StoredSecret;

export interface IndexedDbStorageOptions {
  /**
   * Called after this connection closed itself because another tab opened the database at a newer version (or
   * deleted it): every later operation of this storage fails, so the app should stop using it (the browser app
   * reloads, to run the newer code). Default: nothing but the close.
   */
  onVersionChange?: () => void;
}

/** What clear() empties: everything but `deviceKeys`, which the sync client forgets itself when it unpairs. */
const STORES = ['kv', 'ranges', 'messages', 'outbox'] as const;

/**
 * The sync client's storage in IndexedDB, one database per hub the browser
 * talks to (pass a name per hub). Messages are keyed by [conversationId, seq],
 * so a page of history is one range read.
 */
export async function openIndexedDbStorage(
  name = 'roost',
  { onVersionChange }: IndexedDbStorageOptions = {},
): Promise<IndexedDbStorage> {
  const db = await openDB<RoostDb>(name, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('kv');
        database.createObjectStore('ranges', { keyPath: 'conversationId' });
        database.createObjectStore('messages', { keyPath: ['conversationId', 'seq'] });
        database.createObjectStore('outbox', { keyPath: 'clientMsgId' });
      }
      // Adds a store and touches no other, so a version-1 database keeps its device and data. A protocol-1
      // device (one moved from the http origin too: migration/) has no key here yet and binds one on first auth.
      if (oldVersion < 2) database.createObjectStore('deviceKeys');
    },
    // A tab still open on an older version would block the upgrade in a newer tab until it closed, and the newer
    // tab would hang on its first screen. So the older connection gives way at once and says so. (Pages of Roost
    // from before this handler do not: a newer tab waits until they are closed or reloaded.)
    blocking(_currentVersion, _newVersion, event) {
      (event.target as IDBDatabase).close();
      onVersionChange?.();
    },
  });
  return new IndexedDbStorage(db);
}

export class IndexedDbStorage implements ClientStorage {
  private keys: WebCryptoDeviceKeys | undefined;

  constructor(private readonly db: IDBPDatabase<RoostDb>) {}

  /** The device key kept in this same database: one database per hub holds the device's credentials and key. */
  deviceKeys(): WebCryptoDeviceKeys {
    // One instance per database, so every caller shares its memoized load().
    this.keys ??= new WebCryptoDeviceKeys(this.db);
    return this.keys;
  }

  async loadCredentials(): Promise<StoredCredentials | undefined> {
    return (await this.db.get('kv', 'credentials')) as StoredCredentials | undefined;
  }

  async saveCredentials(credentials: StoredCredentials): Promise<void> {
    await this.db.put('kv', credentials, 'credentials');
  }

  async loadSnapshot(): Promise<CachedSnapshot | undefined> {
    return (await this.db.get('kv', 'snapshot')) as CachedSnapshot | undefined;
  }

  async saveSnapshot(snapshot: CachedSnapshot): Promise<void> {
    await this.db.put('kv', snapshot, 'snapshot');
  }

  async loadRange(conversationId: string): Promise<TimelineRange | undefined> {
    const row = await this.db.get('ranges', conversationId);
    return row && { cursor: row.cursor, reachedStart: row.reachedStart };
  }

  async saveMessages(conversationId: string, messages: readonly MessageWire[], range: TimelineRange): Promise<void> {
    const tx = this.db.transaction(['messages', 'ranges'], 'readwrite');
    const writes: Promise<unknown>[] = messages.map((m) => tx.objectStore('messages').put(m));
    writes.push(
      tx.objectStore('ranges').put({ conversationId, cursor: range.cursor, reachedStart: range.reachedStart }),
    );
    await Promise.all([...writes, tx.done]);
  }

  async loadMessages(conversationId: string, beforeSeq: number, limit: number): Promise<MessageWire[]> {
    if (limit <= 0 || beforeSeq <= 0) return [];
    const range = IDBKeyRange.bound([conversationId, 0], [conversationId, beforeSeq], false, true);
    const newestFirst: MessageWire[] = [];
    let cursor = await this.db.transaction('messages').store.openCursor(range, 'prev');
    while (cursor && newestFirst.length < limit) {
      newestFirst.push(cursor.value);
      cursor = await cursor.continue();
    }
    return newestFirst.reverse();
  }

  async deleteConversation(conversationId: string): Promise<void> {
    const tx = this.db.transaction(['messages', 'ranges'], 'readwrite');
    const all = IDBKeyRange.bound([conversationId, 0], [conversationId, Number.MAX_SAFE_INTEGER]);
    await Promise.all([
      tx.objectStore('messages').delete(all),
      tx.objectStore('ranges').delete(conversationId),
      tx.done,
    ]);
  }

  async loadOutbox(): Promise<StoredOutboxEntry[]> {
    return this.db.getAll('outbox');
  }

  async saveOutboxEntry(entry: StoredOutboxEntry): Promise<void> {
    await this.db.put('outbox', entry);
  }

  async deleteOutboxEntry(clientMsgId: string): Promise<void> {
    await this.db.delete('outbox', clientMsgId);
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(STORES, 'readwrite');
    await Promise.all([...STORES.map((s) => tx.objectStore(s).clear()), tx.done]);
  }

  close(): void {
    this.db.close();
  }
}
