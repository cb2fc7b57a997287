import { z } from 'zod';
import {
  ClientMsgIdSchema,
  ConversationKindSchema,
  IdSchema,
  PlatformSchema,
  SeqSchema,
  TimestampSchema,
} from './primitives';

/**
 * Objects as they travel on the wire. The hub stores its own shapes and maps
 * them to these in one place (main/hub/wireMapping.ts).
 */

export const UserWireSchema = z.object({
  id: IdSchema,
  displayName: z.string(),
  online: z.boolean(),
});
export type UserWire = z.infer<typeof UserWireSchema>;

export const DeviceWireSchema = z.object({
  id: IdSchema,
  userId: IdSchema,
  name: z.string(),
  platform: PlatformSchema,
  pairedAt: TimestampSchema,
  lastSeenAt: TimestampSchema,
  online: z.boolean(),
});
export type DeviceWire = z.infer<typeof DeviceWireSchema>;

/** One member's progress in a conversation: what reached any of their devices, what they read. */
export const ReceiptWireSchema = z.object({
  userId: IdSchema,
  deliveredSeq: SeqSchema,
  readSeq: SeqSchema,
});
export type ReceiptWire = z.infer<typeof ReceiptWireSchema>;

export const ConversationWireSchema = z.object({
  id: IdSchema,
  kind: ConversationKindSchema,
  /** Room name; for direct conversations the hub sends an empty string and clients show the other user's name. */
  name: z.string(),
  memberUserIds: z.array(IdSchema),
  /** Sequence number of the newest message; 0 when empty. */
  lastSeq: SeqSchema,
  createdAt: TimestampSchema,
  receipts: z.array(ReceiptWireSchema),
});
export type ConversationWire = z.infer<typeof ConversationWireSchema>;

export const MessageWireSchema = z.object({
  conversationId: IdSchema,
  seq: SeqSchema,
  clientMsgId: ClientMsgIdSchema,
  senderUserId: IdSchema,
  senderDeviceId: IdSchema,
  /** When the hub accepted it, ms since epoch. */
  sentAt: TimestampSchema,
  text: z.string(),
});
export type MessageWire = z.infer<typeof MessageWireSchema>;
