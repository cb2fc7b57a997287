import { z } from 'zod';
import { ConversationKindSchema, DevicePublicKeySchema, IdSchema, PlatformSchema } from '../../../shared/protocol';

/**
 * What the hub keeps in registry.json (lowdb). Small and rarely written:
 * messages live in the append-only log, never here. Every load is validated
 * against this schema after the migrations in migrations.ts have run.
 */
export const REGISTRY_SCHEMA_VERSION = 3;

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
  /**
   * Version 3 (protocol 2): the device's ECDSA P-256 public key, SubjectPublicKeyInfo DER as base64url. Every
   * connection proves the private half (PROTOCOL.md 6.6). Missing only on devices paired under protocol 1 that have
   * not bound a key yet.
   */
  publicKey: DevicePublicKeySchema.optional(),
  /** When a device paired under protocol 1 bound its key (6.7). */
  keyBoundAt: Time.optional(),
  /**
   * Protocol 1's device token as sha256 hex (the token itself was never stored): only on devices that have not bound
   * a key yet, and deleted when they do. Such a device can migrate until the window in `hub.protocol2Since` closes.
   */
  tokenHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  pairedAt: Time,
  lastSeenAt: Time,
});
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;
/** A device that has bound its key: every device paired under protocol 2, and protocol-1 devices that migrated. */
export type KeyedDeviceRecord = DeviceRecord & { publicKey: string };

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
  hub: z.object({
    id: IdSchema,
    name: z.string(),
    createdAt: Time,
    /** Version 3: when this hub first ran protocol 2; protocol-1 devices may bind a key for a while after (6.7). */
    protocol2Since: Time.optional(),
  }),
  users: z.array(UserRecordSchema),
  devices: z.array(DeviceRecordSchema),
  conversations: z.array(ConversationRecordSchema),
  receipts: z.array(ReceiptRecordSchema),
  blocks: z.array(BlockRecordSchema),
});
export type RegistryFile = z.infer<typeof RegistryFileSchema>;

export const DEFAULT_CONVERSATION_ID = 'general';
