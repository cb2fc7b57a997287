/** Frames the hub sends. `rid` is present when the frame answers a request that carried one. */
import { z } from 'zod';
import { frame } from './frame';
import { ErrorCodeSchema, IncompatibleReasonSchema } from './codeSchemas';
import { ChallengeSchema, PakeConfirmSchema, PakeShareSchema } from './deviceProof';
import { HubIdentitySchema } from './hubIdentity';
import { IdSchema, SeqSchema, TimestampSchema } from './primitives';
import { ConversationWireSchema, DeviceWireSchema, MessageWireSchema, ReceiptWireSchema, UserWireSchema } from './wire';

export const HubInfoSchema = z
  .object({
    id: IdSchema.describe("The hub's id, stable for the life of its data directory."),
    identity: HubIdentitySchema.describe(
      "The hub's identity key's hash (appendix C). A hint only unless proven inside TLS: a native client checks the " +
        'proof, a browser cannot.',
    ),
    name: z.string().describe("The hub's display name."),
    protocolVersion: z.int().describe('The newest protocol version the hub speaks.'),
    appVersion: z.string().describe('The Roost release, for display only.'),
  })
  .describe('What a hub says about itself; also the body of GET /api/info.');
export type HubInfo = z.infer<typeof HubInfoSchema>;

export const WelcomeSchema = frame('welcome', {
  hub: HubInfoSchema,
  serverTime: TimestampSchema.describe("The hub's clock now."),
  challenge: ChallengeSchema.describe('Fresh for this connection: `pair`, `pakeFinish` and `auth` sign it (6.2, 6.6).'),
}).describe('The hub accepted `hello`.');
export const IncompatibleSchema = frame('incompatible', {
  reason: IncompatibleReasonSchema.describe('CLIENT_TOO_OLD or CLIENT_TOO_NEW.'),
  hubProtocol: z.int().describe('The newest protocol version the hub speaks.'),
  minProtocol: z.int().describe('The oldest protocol version the hub speaks.'),
}).describe("The hub refused `hello`'s protocol version; it closes with 4001 next.");
export const PairedSchema = frame('paired', {
  userId: IdSchema.describe('The new user, or for a link code the existing one.'),
  deviceId: IdSchema.describe('The new device.'),
}).describe('The device is paired; `ready` follows.');
export const PakeReplySchema = frame('pakeReply', {
  share: PakeShareSchema.describe("The hub's SPAKE2 share pB."),
  confirm: PakeConfirmSchema.describe("The hub's key confirmation cB: check it before sending `pakeFinish`."),
}).describe('Answers `pakeStart` (6.2).');
export const ReadySchema = frame('ready', {
  self: z
    .object({
      userId: IdSchema.describe('The user of this connection.'),
      deviceId: IdSchema.describe('The device of this connection.'),
    })
    .describe('Who this connection is.'),
  users: z.array(UserWireSchema).describe('Every user of the hub.'),
  devices: z.array(DeviceWireSchema).describe("This user's devices only."),
  conversations: z.array(ConversationWireSchema).describe('Every conversation the user is a member of.'),
  blockedUserIds: z
    .array(IdSchema)
    .optional()
    .describe('The users this user blocks (section 11.7); absent (from an older hub) means none.'),
}).describe('The snapshot the connection starts from; pushes follow from here on.');
export const AckSchema = frame('ack', {
  conversationId: IdSchema.describe('As sent.'),
  clientMsgId: z.string().describe('As sent.'),
  seq: SeqSchema.describe("The message's seq (the original's, for a duplicate)."),
  sentAt: TimestampSchema.describe('When the hub accepted it (the original, for a duplicate).'),
  /** True when this was a resend of a message the hub already had; seq and sentAt are the original's. */
  duplicate: z.boolean().describe('True when the hub already had this message: nothing new was stored.'),
}).describe('The message is stored durably.');
export const FileTicketSchema = frame('fileTicket', {
  ticket: z.string().describe('43 characters; POST it once in `Roost-Ticket` to /api/files/session (appendix F.2).'),
  expiresAt: TimestampSchema.describe('It is refused after this (60 s).'),
}).describe('Answers `openFileSession`.');
export const MessageSchema = frame('message', { message: MessageWireSchema }).describe('A new message.');
export const MessagesSchema = frame('messages', {
  conversationId: IdSchema.describe('As requested.'),
  direction: z.enum(['forward', 'backward']).describe('As requested.'),
  messages: z.array(MessageWireSchema).describe('Contiguous, in ascending seq; possibly empty.'),
  /** More messages exist beyond this page in the requested direction. */
  hasMore: z.boolean().describe('More messages exist beyond this page in the requested direction.'),
}).describe('A page of messages.');
export const ReceiptSchema = frame('receipt', {
  conversationId: IdSchema.describe('The conversation.'),
  receipt: ReceiptWireSchema,
}).describe("A member's markers moved.");
export const ConversationSchema = frame('conversation', { conversation: ConversationWireSchema }).describe(
  'The full current state of one conversation.',
);
export const UserSchema = frame('user', { user: UserWireSchema }).describe(
  "A new user paired, or the hub's owner removed one (`removed`): replace yours.",
);
export const PresenceSchema = frame('presence', {
  userId: IdSchema.describe('The user.'),
  online: z.boolean().describe("The user's state now."),
}).describe('A user came online or went offline.');
export const TypingEventSchema = frame('typing', {
  conversationId: IdSchema.describe('The conversation.'),
  userId: IdSchema.describe('Who is typing.'),
  deviceId: IdSchema.describe('On which device.'),
}).describe('Someone is typing.');
export const LinkCodeSchema = frame('linkCode', {
  code: z.string().describe('8 characters of ABCDEFGHJKMNPQRSTVWXYZ23456789.'),
  expiresAt: TimestampSchema.describe('When the code stops working.'),
}).describe('A one-time code that pairs another device to this user.');
export const DevicesSchema = frame('devices', {
  devices: z.array(DeviceWireSchema).describe("The complete list of this user's devices."),
}).describe("This user's devices.");
export const OkSchema = frame('ok', {}).describe('The request was carried out.');
export const PongSchema = frame('pong', {
  serverTime: TimestampSchema.describe("The hub's clock when it answered."),
}).describe('The answer to `ping`.');
export const ErrorSchema = frame('error', {
  code: ErrorCodeSchema,
  message: z.string().describe('For people: names the offending value. Never parse it.'),
  /** The frame type that caused it, when known. */
  frameType: z
    .string()
    .optional()
    .describe('The `type` of the frame that caused it, when known (an unknown type is cut to 64 characters).'),
}).describe('A request was refused.');

export const JoinLinkClaimedSchema = frame('joinLinkClaimed', {
  token: z.string().describe('A fresh join token for `pair` (kind `joinToken`); keep it in memory, never in a URL.'),
  expiresAt: TimestampSchema.describe('When the fresh token stops working.'),
}).describe('The answer to `claimJoinLink`: the link is spent, this token pairs instead.');

export const ConversationLeftSchema = frame('conversationLeft', {
  conversationId: IdSchema.describe('The room the user left.'),
}).describe('The user left this room, on this device or another of theirs: drop it.');
export const BlocksSchema = frame('blocks', {
  userIds: z.array(IdSchema).describe('Every user this user blocks.'),
}).describe("The users this user blocks, the whole list; sent only to the user's own connections.");

export const HubInfoFrameSchema = frame('hubInfo', { hub: HubInfoSchema }).describe(
  "The hub's owner renamed it: replace what `welcome` said (a client may ignore it until it reconnects).",
);

export const ServerFrameSchema = z.discriminatedUnion('type', [
  WelcomeSchema,
  IncompatibleSchema,
  PairedSchema,
  PakeReplySchema,
  ReadySchema,
  AckSchema,
  MessageSchema,
  FileTicketSchema,
  MessagesSchema,
  ReceiptSchema,
  ConversationSchema,
  UserSchema,
  PresenceSchema,
  TypingEventSchema,
  LinkCodeSchema,
  DevicesSchema,
  OkSchema,
  PongSchema,
  ErrorSchema,
  JoinLinkClaimedSchema,
  HubInfoFrameSchema,
  ConversationLeftSchema,
  BlocksSchema,
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export const SERVER_FRAME_TYPES: readonly ServerFrame['type'][] = ServerFrameSchema.options.map(
  (o) => o.shape.type.value,
);
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;
