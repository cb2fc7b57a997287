import { z } from 'zod';
import { IdSchema } from '../../shared/protocol';
import { StoredCredentialsSchema, StoredOutboxEntrySchema, TimelineRangeSchema } from '../../shared/sync/cacheSchema';
import { StoredSecretSchema } from '../sync/plainHttpDeviceKey';

/**
 * Moving a browser device from the hub's old http:// origin to its https:// one (IndexedDB is per origin).
 * The https app opens the old origin's page (main/hub/plainHttpRedirect.ts) as a popup at
 * `#migrate-from`; that page reads its IndexedDB and posts it to its opener, targetOrigin exactly the https
 * origin of the same host and port; the app imports it and answers, targetOrigin exactly the http origin;
 * the old page then clears its copy and says so. Nothing goes through a URL or the network.
 * The old page's script is tiny and dependency-free, so it checks the app's answers by hand
 * (plainHttpMigrationScript.ts); these schemas are the reference for both sides.
 */
export const MIGRATION_TAG = 'roost-migrate-v1';
/** In the https app's address: show the move screen. */
export const MIGRATE_HASH = '#migrate';
/** In the old page's address: it was opened by the app to hand its data over. */
export const MIGRATE_FROM_HASH = '#migrate-from';
/** The old page stores under the default database name (renderer/hub/hubAddress.ts addressFromLocation). */
export const MIGRATION_DATABASE = 'roost';

export const RangeRowSchema = TimelineRangeSchema.extend({ conversationId: IdSchema });

/** What the old page says in place of a WebCrypto key: made non-extractable, it stays at that origin. */
export const NON_EXTRACTABLE_KEY = 'nonExtractable';

/**
 * The old origin's `deviceKeys` row (webCryptoDeviceKeys.ts), as the old page hands it over: the raw secret of a page
 * without WebCrypto (an http:// LAN address), which moves; NON_EXTRACTABLE_KEY for a WebCrypto key (only http://
 * localhost and 127.x are secure contexts over http, and hubs never send those to https://); null for none (a
 * protocol-1 device, a version-1 database without the store, or a row no key could be made from).
 */
export const MovedKeySchema = z.union([StoredSecretSchema, z.literal(NON_EXTRACTABLE_KEY)]).nullable();

/** What the old origin holds, store by store, as IndexedDbStorage wrote it. */
export const MigrationDataSchema = z.object({
  credentials: StoredCredentialsSchema.nullable(),
  /** Absent counts as none, as from a hub's page before protocol 2 (whose devices all hold tokens). */
  deviceKey: MovedKeySchema.default(null),
  /** Checked on import (checkSnapshot, with its migrations); dropped if it does not validate. */
  snapshot: z.unknown(),
  outbox: z.array(StoredOutboxEntrySchema),
  ranges: z.array(z.unknown()),
  messages: z.array(z.unknown()),
});
export type MigrationData = z.infer<typeof MigrationDataSchema>;

/** Old page → app. `unreadable`: its IndexedDB could not be read; `empty`: nothing to move. */
export const FromOldPageSchema = z.discriminatedUnion('kind', [
  z.object({ tag: z.literal(MIGRATION_TAG), kind: z.literal('data'), data: z.unknown() }),
  z.object({ tag: z.literal(MIGRATION_TAG), kind: z.literal('empty') }),
  z.object({ tag: z.literal(MIGRATION_TAG), kind: z.literal('unreadable') }),
  /** After `imported`: the old copy is gone (`cleared: false`: it could not be deleted, and stays unused). */
  z.object({ tag: z.literal(MIGRATION_TAG), kind: z.literal('done'), cleared: z.boolean() }),
]);
export type FromOldPage = z.infer<typeof FromOldPageSchema>;

export const RefusalReason = {
  /** This browser is already paired at the https address: nothing is overwritten. */
  HAS_ACCOUNT: 'HAS_ACCOUNT',
  /** The old data did not validate. */
  INVALID: 'INVALID',
  /** This origin's IndexedDB refused the write. */
  STORAGE_FAILED: 'STORAGE_FAILED',
  /**
   * The device has a protocol-2 key and no token, and its key is a non-extractable WebCrypto key, which stays at its
   * origin: moving the rest would leave a device that cannot sign in. It stays at the old address, or pairs again.
   */
  KEY_NOT_MOVABLE: 'KEY_NOT_MOVABLE',
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

/** App → old page. Only `imported` lets the old page delete its copy. */
export type ToOldPage =
  | { tag: typeof MIGRATION_TAG; kind: 'imported' }
  | { tag: typeof MIGRATION_TAG; kind: 'refused'; reason: RefusalReason };

/**
 * The http origin that may send data to the https app at `location`, and be answered: the same host and
 * port (the hub serves both on one port; an https address without a port is port 443, so is the old one).
 */
export function oldOriginOf(location: Pick<Location, 'protocol' | 'hostname' | 'port'>): string | undefined {
  if (location.protocol !== 'https:') return undefined;
  return new URL(`http://${location.hostname}:${location.port || '443'}`).origin;
}
