import { z } from 'zod';
import {
  AttachmentsSchema,
  ClientMsgIdSchema,
  HubIdentitySchema,
  ConversationWireSchema,
  DeviceWireSchema,
  HubInfoSchema,
  IdSchema,
  MessageWireSchema,
  SeqSchema,
  TimestampSchema,
  UserWireSchema,
} from '../protocol';
import { runMigrations, type VersionedSchema } from '../util/migrations';
import { describeSchemaError } from '../util/schemaError';
import {
  CACHE_SCHEMA_VERSION,
  type CachedSnapshot,
  type StoredCredentials,
  type StoredOutboxEntry,
  type TimelineRange,
} from './storage';

/**
 * What comes back from storage is checked like anything else crossing a
 * boundary: an older app version, a partial write or a hand-edited database
 * must not crash the client. The cache can always be rebuilt from the hub,
 * so a snapshot that does not validate is dropped, not repaired.
 */

export const StoredCredentialsSchema = z.object({
  hubId: IdSchema,
  hubIdentity: HubIdentitySchema.optional(),
  userId: IdSchema,
  deviceId: IdSchema,
  token: z.string().min(1).optional(),
});

export const CachedSnapshotSchema = z.object({
  schemaVersion: z.literal(CACHE_SCHEMA_VERSION),
  // Snapshots saved before hubs had an identity lack it; the next `welcome` brings it.
  hub: HubInfoSchema.partial({ identity: true }),
  self: z.object({ userId: IdSchema, deviceId: IdSchema }),
  users: z.array(UserWireSchema),
  devices: z.array(DeviceWireSchema),
  conversations: z.array(ConversationWireSchema),
  blockedUserIds: z.array(IdSchema).optional(),
});

export const TimelineRangeSchema = z.object({ cursor: SeqSchema, reachedStart: z.boolean() });

export const StoredOutboxEntrySchema = z.object({
  clientMsgId: ClientMsgIdSchema,
  conversationId: IdSchema,
  text: z.string(),
  attachments: AttachmentsSchema.optional(),
  createdAt: TimestampSchema,
  order: z.number(),
  failedCode: z.string().optional(),
});

/**
 * Snapshot migrations, run in order by shared/util/migrations.ts: `steps[n]`
 * takes the raw object of version n and returns one of version n + 1. None yet.
 */
const SNAPSHOT_VERSIONS: VersionedSchema<CachedSnapshot> = {
  current: CACHE_SCHEMA_VERSION,
  steps: {},
  schema: CachedSnapshotSchema,
};

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function checkCredentials(raw: unknown): Checked<StoredCredentials> {
  return check(StoredCredentialsSchema, raw);
}

/** Runs the migrations in order, then validates. A snapshot from a newer app version is refused. */
export function checkSnapshot(raw: unknown): Checked<CachedSnapshot> {
  const migrated = runMigrations(raw, SNAPSHOT_VERSIONS);
  return migrated.ok ? migrated : { ok: false, reason: migrated.reason };
}

export function checkRange(raw: unknown): Checked<TimelineRange> {
  return check(TimelineRangeSchema, raw);
}

export function checkOutboxEntry(raw: unknown): Checked<StoredOutboxEntry> {
  return check(StoredOutboxEntrySchema, raw);
}

export function checkMessage(raw: unknown): Checked<z.infer<typeof MessageWireSchema>> {
  return check(MessageWireSchema, raw);
}

function check<T>(schema: z.ZodType<T>, raw: unknown): Checked<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: describeSchemaError(parsed.error) };
}
