import { z } from 'zod';
import { ConversationKindSchema, IdSchema, PlatformSchema } from '../../../shared/protocol';

/**
 * What the hub keeps in registry.json (lowdb). Small and rarely written:
 * messages live in the append-only log, never here. Every load is validated
 * against this schema after the migrations in migrations.ts have run.
 */
export const REGISTRY_SCHEMA_VERSION = 2;

const Time = z.int().min(0);
const Seq = z.int().min(0);

export const UserRecordSchema = z.object({
  id: IdSchema,
  displayName: z.string(),
  createdAt: Time,
  /**
   * Version 2: when the hub's owner removed the user. The record stays (their messages name them); they
   * have no devices, are a member of nothing and cannot pair again as this user.
   */
  removedAt: Time.optional(),
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

export const DeviceRecordSchema = z.object({
  id: IdSchema,
  userId: IdSchema,
  name: z.string(),
  platform: PlatformSchema,
  /** sha256 of the device token, hex. The token itself is never stored. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  pairedAt: Time,
  lastSeenAt: Time,
});
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;

export const ConversationRecordSchema = z.object({
  id: IdSchema,
  kind: ConversationKindSchema,
  name: z.string(),
  /** Ignored for the default room, whose members are all users. */
  memberUserIds: z.array(IdSchema),
  createdAt: Time,
  createdBy: IdSchema.nullable(),
});
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;

export const ReceiptRecordSchema = z.object({
  conversationId: IdSchema,
  userId: IdSchema,
  deliveredSeq: Seq,
  readSeq: Seq,
});
export type ReceiptRecord = z.infer<typeof ReceiptRecordSchema>;

/** One user blocking another (version 2): the blocked user's messages are not pushed to the blocker. */
export const BlockRecordSchema = z.object({
  /** The user who blocks. */
  userId: IdSchema,
  blockedUserId: IdSchema,
  blockedAt: Time,
});
export type BlockRecord = z.infer<typeof BlockRecordSchema>;

export const RegistryFileSchema = z.object({
  schemaVersion: z.literal(REGISTRY_SCHEMA_VERSION),
  hub: z.object({ id: IdSchema, name: z.string(), createdAt: Time }),
  users: z.array(UserRecordSchema),
  devices: z.array(DeviceRecordSchema),
  conversations: z.array(ConversationRecordSchema),
  receipts: z.array(ReceiptRecordSchema),
  blocks: z.array(BlockRecordSchema),
});
export type RegistryFile = z.infer<typeof RegistryFileSchema>;

export const DEFAULT_CONVERSATION_ID = 'general';
