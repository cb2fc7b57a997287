/** Frames the hub sends. `rid` is present when the frame answers a request that carried one. */
import { z } from 'zod';
import { frame } from './frame';
import { ErrorCodeSchema, IncompatibleReasonSchema } from './codeSchemas';
import { IdSchema, SeqSchema, TimestampSchema } from './primitives';
import { ConversationWireSchema, DeviceWireSchema, MessageWireSchema, ReceiptWireSchema, UserWireSchema } from './wire';

export const HubInfoSchema = z.object({
  id: IdSchema,
  name: z.string(),
  protocolVersion: z.int(),
  appVersion: z.string(),
});
export type HubInfo = z.infer<typeof HubInfoSchema>;

export const WelcomeSchema = frame('welcome', { hub: HubInfoSchema, serverTime: TimestampSchema });
export const IncompatibleSchema = frame('incompatible', {
  reason: IncompatibleReasonSchema,
  hubProtocol: z.int(),
  minProtocol: z.int(),
});
export const PairedSchema = frame('paired', { userId: IdSchema, deviceId: IdSchema, token: z.string() });
export const ReadySchema = frame('ready', {
  self: z.object({ userId: IdSchema, deviceId: IdSchema }),
  users: z.array(UserWireSchema),
  devices: z.array(DeviceWireSchema),
  conversations: z.array(ConversationWireSchema),
});
export const AckSchema = frame('ack', {
  conversationId: IdSchema,
  clientMsgId: z.string(),
  seq: SeqSchema,
  sentAt: TimestampSchema,
  /** True when this was a resend of a message the hub already had; seq and sentAt are the original's. */
  duplicate: z.boolean(),
});
export const MessageSchema = frame('message', { message: MessageWireSchema });
export const MessagesSchema = frame('messages', {
  conversationId: IdSchema,
  direction: z.enum(['forward', 'backward']),
  messages: z.array(MessageWireSchema),
  /** More messages exist beyond this page in the requested direction. */
  hasMore: z.boolean(),
});
export const ReceiptSchema = frame('receipt', { conversationId: IdSchema, receipt: ReceiptWireSchema });
export const ConversationSchema = frame('conversation', { conversation: ConversationWireSchema });
export const UserSchema = frame('user', { user: UserWireSchema });
export const PresenceSchema = frame('presence', { userId: IdSchema, online: z.boolean() });
export const TypingEventSchema = frame('typing', {
  conversationId: IdSchema,
  userId: IdSchema,
  deviceId: IdSchema,
});
export const LinkCodeSchema = frame('linkCode', { code: z.string(), expiresAt: TimestampSchema });
export const DevicesSchema = frame('devices', { devices: z.array(DeviceWireSchema) });
export const OkSchema = frame('ok', {});
export const PongSchema = frame('pong', { serverTime: TimestampSchema });
export const ErrorSchema = frame('error', {
  code: ErrorCodeSchema,
  message: z.string(),
  /** The frame type that caused it, when known. */
  frameType: z.string().optional(),
});

export const ServerFrameSchema = z.discriminatedUnion('type', [
  WelcomeSchema,
  IncompatibleSchema,
  PairedSchema,
  ReadySchema,
  AckSchema,
  MessageSchema,
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
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export const SERVER_FRAME_TYPES: readonly ServerFrame['type'][] = ServerFrameSchema.options.map(
  (o) => o.shape.type.value,
);
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;
