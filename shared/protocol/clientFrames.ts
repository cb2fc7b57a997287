/** Frames a client sends to the hub. Every frame may carry `rid`; see docs/PROTOCOL.md section 4. */
import { z } from 'zod';
import { frame } from './frame';
import { LIMITS } from './limits';
import { AttachmentsSchema } from './attachments';
import { ClientMsgIdSchema, IdSchema, NameSchema, PlatformSchema, SeqSchema } from './primitives';
import { NOT_BLANK_PATTERN } from './whitespace';
import {
  DevicePublicKeySchema,
  DeviceSignatureSchema,
  LINK_CODE_HANDLE_PATTERN,
  PakeConfirmSchema,
  PakeShareSchema,
} from './deviceProof';

/** Secret codes are checked by the hub, not by the schema, so a malformed code counts as a wrong attempt. */
const SecretSchema = z.string().min(1).max(128);

export const HelloSchema = frame('hello', {
  protocol: z.int().min(0).describe('The protocol version the client speaks (2).'),
  client: z.string().max(64).optional().describe('Free-form client name and version, for logs; the hub ignores it.'),
}).describe('Opens the session: must be the first frame (besides ping), within 10 s of connecting.');

/**
 * What a person types or follows to pair a device. Only a join token travels as it is (`pair`): codes never cross
 * the wire, they key a SPAKE2 exchange instead (`pakeStart`, section 6.2). The sync client's `pair()` takes this.
 */
export const PairCredentialSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('code'), code: SecretSchema, displayName: NameSchema }),
    z.object({ kind: z.literal('joinToken'), token: SecretSchema, displayName: NameSchema }),
    z.object({ kind: z.literal('linkCode'), code: SecretSchema }),
  ])
  .describe('The secret that admits a device, by kind.');
export type PairCredential = z.infer<typeof PairCredentialSchema>;

const DeviceDescriptionSchema = z
  .object({ name: NameSchema.describe('Name of this device.'), platform: PlatformSchema })
  .describe('The device being paired.');

const NewDeviceKey = {
  publicKey: DevicePublicKeySchema,
  signature: DeviceSignatureSchema.describe('Over the pairing proof (section 6.2): proves the device holds the key.'),
};

export const PairSchema = frame('pair', {
  credential: z
    .object({
      kind: z.literal('joinToken'),
      token: SecretSchema.describe('The token from a join link (#join=TOKEN).'),
      displayName: NameSchema.describe("The new user's display name."),
    })
    .describe('Creates a new user with a one-time join token.'),
  device: DeviceDescriptionSchema,
  ...NewDeviceKey,
}).describe('Pairs a new device with a join token and registers its public key.');

export const PakeStartSchema = frame('pakeStart', {
  credential: z
    .discriminatedUnion('kind', [
      z
        .object({ kind: z.literal('code'), displayName: NameSchema.describe("The new user's display name.") })
        .describe("Creates a new user with the hub's pairing code."),
      z
        .object({
          kind: z.literal('linkCode'),
          handle: z
            .string()
            .regex(LINK_CODE_HANDLE_PATTERN, 'must be 2 of A-Z 0-9')
            .describe("The link code's first 2 characters, upper case (section 6.4); never the whole code."),
        })
        .describe('Adds a device to the user who made the link code.'),
    ])
    .describe('Which code keys the exchange.'),
  device: DeviceDescriptionSchema,
  publicKey: DevicePublicKeySchema,
  share: PakeShareSchema.describe("The device's SPAKE2 share pA."),
}).describe('Starts pairing by code: one SPAKE2 exchange keyed by the code; counts as one guess.');

export const PakeFinishSchema = frame('pakeFinish', {
  confirm: PakeConfirmSchema.describe("The device's key confirmation cA."),
  signature: NewDeviceKey.signature,
}).describe('Finishes pairing by code after `pakeReply`.');

export const AuthSchema = frame('auth', {
  deviceId: IdSchema.describe('The device id from `paired`.'),
  signature: DeviceSignatureSchema.describe("Over the auth proof (section 6.6), with the device's key."),
  migrate: z
    .object({
      token: SecretSchema.describe('The protocol-1 device token.'),
      publicKey: DevicePublicKeySchema.describe('The key to bind in its place; `signature` is made with it.'),
    })
    .optional()
    .describe('Only for a device paired under protocol 1: binds a key once, within the migration window (6.7).'),
}).describe("Authenticates a paired device by signing the connection's challenge.");

export const SendSchema = frame('send', {
  conversationId: IdSchema.describe('A conversation the user is a member of.'),
  clientMsgId: ClientMsgIdSchema.describe('Random, unique per message; a resend reuses it (section 7.3).'),
  text: z
    .string()
    .max(LIMITS.maxTextLength)
    .describe(
      `Up to ${LIMITS.maxTextLength} characters, not only whitespace; "" only with attachments. Stored and ` +
        'delivered exactly as sent.',
    ),
  attachments: AttachmentsSchema.optional(),
})
  .refine((f) => f.attachments !== undefined || NOT_BLANK_PATTERN.test(f.text), {
    message: 'must not be blank',
    path: ['text'],
  })
  .describe('Sends a message, with files uploaded first (appendix F) or without.');

export const FetchMessagesSchema = frame('fetchMessages', {
  conversationId: IdSchema.describe('A conversation the user is a member of.'),
  /** `forward`: seq > cursor, oldest first. `backward`: the newest `limit` with seq < cursor. */
  direction: z
    .enum(['forward', 'backward'])
    .describe('forward: seq > cursor, oldest first. backward: the newest `limit` with seq < cursor, oldest first.'),
  cursor: SeqSchema.describe('Where the page starts; section 8.2.'),
  limit: z
    .int()
    .min(1)
    .max(LIMITS.maxPageSize)
    .optional()
    .describe(`Most messages to return; default ${LIMITS.defaultPageSize}.`),
}).describe('Reads a page of stored messages.');

export const MarkDeliveredSchema = frame('markDelivered', {
  conversationId: IdSchema.describe('A conversation the user is a member of.'),
  seq: SeqSchema.describe("Moves the user's deliveredSeq up to this (clamped to lastSeq)."),
}).describe('Tells the hub the user holds every message up to seq.');
export const MarkReadSchema = frame('markRead', {
  conversationId: IdSchema.describe('A conversation the user is a member of.'),
  seq: SeqSchema.describe("Moves the user's readSeq, and deliveredSeq with it, up to this (clamped to lastSeq)."),
}).describe('Tells the hub the user has read up to seq.');
export const DeleteMessageSchema = frame('deleteMessage', {
  conversationId: IdSchema.describe('A conversation the user is a member of.'),
  seq: SeqSchema.describe('A message the user sent, from any of their devices; not a deletion (section 7.5).'),
}).describe('Deletes one of your own messages for everyone: its text is erased on the hub and on every device.');
export const OpenFileSessionSchema = frame('openFileSession', {}).describe(
  'Asks for a one-time ticket that opens a file session over HTTPS (appendix F.2).',
);
export const TypingSchema = frame('typing', {
  conversationId: IdSchema.describe('A conversation the user is a member of.'),
}).describe('The user is typing in a conversation.');

export const CreateGroupSchema = frame('createGroup', {
  name: NameSchema.describe('The room name.'),
  memberUserIds: z
    .array(IdSchema)
    .max(LIMITS.maxMembersPerRequest)
    .describe('Existing users to add besides the creator, who is always a member.'),
}).describe('Creates a group room.');
export const AddMembersSchema = frame('addMembers', {
  conversationId: IdSchema.describe('A group the user is a member of.'),
  userIds: z
    .array(IdSchema)
    .min(1)
    .max(LIMITS.maxMembersPerRequest)
    .describe('Existing users to add; ones already in the group are skipped.'),
}).describe('Adds members to a group room.');
export const OpenDirectSchema = frame('openDirect', {
  userId: IdSchema.describe('Another existing user.'),
}).describe('Finds or creates the direct conversation with another user.');

export const CreateLinkCodeSchema = frame('createLinkCode', {}).describe(
  'Makes a one-time code that pairs another device to this user.',
);
export const ListDevicesSchema = frame('listDevices', {}).describe("Lists the user's devices.");
export const RenameDeviceSchema = frame('renameDevice', {
  deviceId: IdSchema.describe("One of the user's devices (this one included)."),
  name: NameSchema.describe('The new device name.'),
}).describe("Renames one of the user's devices.");
export const RemoveDeviceSchema = frame('removeDevice', {
  deviceId: IdSchema.describe("One of the user's devices (this one included)."),
}).describe("Removes one of the user's devices and revokes its token.");

export const ClaimJoinLinkSchema = frame('claimJoinLink', {
  token: SecretSchema.describe('The token from a join link (#join=TOKEN), sent as soon as the link is opened.'),
}).describe(
  "Spends a join link's token, which stays in the browser's history, for a fresh join token that is never in a URL.",
);

export const LeaveConversationSchema = frame('leaveConversation', {
  conversationId: IdSchema.describe('A group room the user is a member of.'),
}).describe("Leaves a group room: its messages stop at once and it is gone from the user's `ready`.");
export const BlockUserSchema = frame('blockUser', {
  userId: IdSchema.describe('Another existing user.'),
}).describe(
  'Blocks a user: their messages and typing are not pushed to you, and they can no longer open a direct ' +
    'conversation with you or add you to a room. They are not told.',
);
export const UnblockUserSchema = frame('unblockUser', {
  userId: IdSchema.describe('A user you block; any other id changes nothing.'),
}).describe('Stops blocking a user.');

/** Browsers cannot see WebSocket pings; this lets them check that the hub still answers. */
export const PingSchema = frame('ping', {}).describe('Asks the hub to answer at once; allowed in every state.');

export const ClientFrameSchema = z.discriminatedUnion('type', [
  PingSchema,
  HelloSchema,
  PairSchema,
  PakeStartSchema,
  PakeFinishSchema,
  AuthSchema,
  SendSchema,
  FetchMessagesSchema,
  MarkDeliveredSchema,
  MarkReadSchema,
  TypingSchema,
  DeleteMessageSchema,
  OpenFileSessionSchema,
  CreateGroupSchema,
  AddMembersSchema,
  OpenDirectSchema,
  CreateLinkCodeSchema,
  ListDevicesSchema,
  RenameDeviceSchema,
  RemoveDeviceSchema,
  ClaimJoinLinkSchema,
  LeaveConversationSchema,
  BlockUserSchema,
  UnblockUserSchema,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export type ClientFrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;
/** What a client builds before sending: the input side, so defaults and transforms stay optional. */
export type ClientFrameInput = z.input<typeof ClientFrameSchema>;
export type ClientFrameInputOf<T extends ClientFrameType> = Extract<ClientFrameInput, { type: T }>;

export const CLIENT_FRAME_TYPES: readonly ClientFrameType[] = ClientFrameSchema.options.map((o) => o.shape.type.value);
