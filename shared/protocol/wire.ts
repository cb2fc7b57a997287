import { z } from 'zod';
import { AttachmentWireSchema } from './attachments';
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

export const UserWireSchema = z
  .object({
    id: IdSchema.describe('The user.'),
    displayName: z.string().describe('As given at pairing; need not be unique.'),
    online: z.boolean().describe('At least one device of the user has a ready connection.'),
    removed: z
      .literal(true)
      .optional()
      .describe(
        "Set when the hub's owner removed the user (section 11.8): never online again, a member of nothing; " +
          'show their messages as from a removed user.',
      ),
  })
  .describe('A user.');
export type UserWire = z.infer<typeof UserWireSchema>;

export const DeviceWireSchema = z
  .object({
    id: IdSchema.describe('The device.'),
    userId: IdSchema.describe('Its user.'),
    name: z.string().describe('The device name.'),
    platform: PlatformSchema,
    pairedAt: TimestampSchema.describe('When it paired.'),
    lastSeenAt: TimestampSchema.describe('When a connection of it last became ready or closed.'),
    online: z.boolean().describe('The device has a ready connection.'),
  })
  .describe("One of the user's devices.");
export type DeviceWire = z.infer<typeof DeviceWireSchema>;

/** One member's progress in a conversation: what reached any of their devices, what they read. */
export const ReceiptWireSchema = z
  .object({
    userId: IdSchema.describe('The member.'),
    deliveredSeq: SeqSchema.describe('Highest seq a device of the member reported holding; >= readSeq.'),
    readSeq: SeqSchema.describe('Highest seq the member read, on any device.'),
  })
  .describe("A member's markers in a conversation (section 9).");
export type ReceiptWire = z.infer<typeof ReceiptWireSchema>;

export const ConversationWireSchema = z
  .object({
    id: IdSchema.describe('The conversation; "general" for the default room.'),
    kind: ConversationKindSchema,
    /** Room name; for direct conversations the hub sends an empty string and clients show the other user's name. */
    name: z.string().describe('"General" for the default room, "" for a direct conversation.'),
    memberUserIds: z.array(IdSchema).describe('Every member.'),
    /** Sequence number of the newest message; 0 when empty. */
    lastSeq: SeqSchema.describe('Seq of the newest stored message when this was sent; 0 if none.'),
    createdAt: TimestampSchema.describe('When it was created.'),
    receipts: z.array(ReceiptWireSchema).describe('One per member, in memberUserIds order (zeros if none yet).'),
  })
  .describe('A conversation the user is a member of.');
export type ConversationWire = z.infer<typeof ConversationWireSchema>;

/**
 * `senderUserId` and `senderDeviceId` of a deletion made by the hub's owner (section 7.5), rather than by a
 * user: hub ids are 22 characters, so no user or device has this one.
 */
export const HUB_OPERATOR_ID = 'hub';

export const MessageWireSchema = z
  .object({
    conversationId: IdSchema.describe('Its conversation.'),
    seq: SeqSchema.describe('Its place in the conversation, from 1.'),
    clientMsgId: ClientMsgIdSchema,
    senderUserId: IdSchema.describe('Who sent it.'),
    senderDeviceId: IdSchema.describe('From which device (it may have been removed since).'),
    /** When the hub accepted it, ms since epoch. */
    sentAt: TimestampSchema.describe('When the hub accepted it.'),
    text: z.string().describe('Exactly as sent; "" once deleted, and in a deletion.'),
    deleted: z
      .literal(true)
      .optional()
      .describe('The message was deleted (section 7.5): `text` is "". Show it as deleted.'),
    attachments: z
      .array(AttachmentWireSchema)
      .min(1)
      .optional()
      .describe('Files sent with it (appendix F); absent when none, on a deleted message, and for protocol 2.'),
    deletes: SeqSchema.optional().describe(
      'Present on a deletion, not a message (section 7.5): the seq of the message it deleted, in the same ' +
        'conversation. Apply it; never show it or count it as unread.',
    ),
  })
  .describe('A stored message, or a deletion of one.');
export type MessageWire = z.infer<typeof MessageWireSchema>;
