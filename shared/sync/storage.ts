import type { Attachment, ConversationWire, DeviceWire, HubInfo, MessageWire, UserWire } from '../protocol';

/**
 * Where the client keeps what must survive a restart: the device's
 * credentials, a cache of what it last knew, and the outbox. Adapters:
 * IndexedDB in the browser (renderer/sync/IndexedDbStorage.ts) and memory
 * for tests (shared/sync/MemoryStorage.ts).
 *
 * Adapters store and return plain JSON-compatible objects; the client
 * validates everything it reads back (shared/sync/cacheSchema.ts), so an
 * adapter never needs to. Every method may reject; the client reports it
 * through `onWarning` and carries on from memory.
 */

/** Version of the cached snapshot's shape. Bump it and add a migration in cacheSchema.ts on change. */
export const CACHE_SCHEMA_VERSION = 1;

export type StoredCredentials = {
  /** The hub these credentials belong to (welcome.hub.id). */
  hubId: string;
  /**
   * The hub's identity when the device paired (welcome.hub.identity): the client signs for no other, and reports a
   * hub that names another as `identityRefused` (HUB_IDENTITY_CHANGED). Absent in credentials from before identities.
   */
  hubIdentity?: string;
  userId: string;
  deviceId: string;
  /**
   * Only for a device paired under protocol 1 that has not bound its key yet: the next `auth` binds one (PROTOCOL.md
   * 6.7), and the token is then forgotten. A device paired under protocol 2 has none: its key is in DeviceKeyStore.
   */
  token?: string;
};

/** What the client knows of its hub: `identity` is missing in snapshots saved before hubs had one. */
export type KnownHub = Omit<HubInfo, 'identity'> & { identity?: string };

/** What the client last knew about the hub, shown at once on the next start. */
export type CachedSnapshot = {
  schemaVersion: number;
  hub: KnownHub;
  self: { userId: string; deviceId: string };
  users: UserWire[];
  devices: DeviceWire[];
  conversations: ConversationWire[];
  /** The users the own user blocks; absent in snapshots from before blocking, meaning none. */
  blockedUserIds?: string[];
};

/**
 * The stored messages of a conversation form one run without gaps that ends
 * at `cursor`: every message from the oldest stored one up to `cursor` is
 * stored (seqs the hub never had excepted).
 */
export type TimelineRange = {
  cursor: number;
  /** The oldest stored message is the conversation's first: there is nothing older on the hub. */
  reachedStart: boolean;
};

export type StoredOutboxEntry = {
  clientMsgId: string;
  conversationId: string;
  text: string;
  /** Files already uploaded (PROTOCOL.md appendix F); the message carries them. */
  attachments?: Attachment[];
  createdAt: number;
  /** Send order; increases with each new entry. */
  order: number;
  /** Set when the hub refused the message for good (e.g. NOT_A_MEMBER); such entries wait for the user. */
  failedCode?: string;
};

export interface ClientStorage {
  loadCredentials(): Promise<StoredCredentials | undefined>;
  saveCredentials(credentials: StoredCredentials): Promise<void>;

  loadSnapshot(): Promise<CachedSnapshot | undefined>;
  saveSnapshot(snapshot: CachedSnapshot): Promise<void>;

  loadRange(conversationId: string): Promise<TimelineRange | undefined>;
  /** Adds messages (replacing any with the same seq) and sets the conversation's range, atomically. */
  saveMessages(conversationId: string, messages: readonly MessageWire[], range: TimelineRange): Promise<void>;
  /** The newest `limit` stored messages with seq < beforeSeq, oldest first. */
  loadMessages(conversationId: string, beforeSeq: number, limit: number): Promise<MessageWire[]>;
  /** Forgets a conversation's messages and range (the user left it; if added again, it is fetched anew). */
  deleteConversation(conversationId: string): Promise<void>;

  /** Every outbox entry, in any order (the client sorts by `order`). */
  loadOutbox(): Promise<StoredOutboxEntry[]>;
  /** Adds or replaces the entry with this clientMsgId. */
  saveOutboxEntry(entry: StoredOutboxEntry): Promise<void>;
  deleteOutboxEntry(clientMsgId: string): Promise<void>;

  /** Forgets everything: credentials, cache and outbox (after the device was revoked). */
  clear(): Promise<void>;
}
