/** Frames a client sends to the hub. Every frame may carry `rid`; see docs/PROTOCOL.md section 4. */
import { z } from 'zod';
import { frame } from './frame';
import { LIMITS } from './limits';
import { ClientMsgIdSchema, IdSchema, NameSchema, PlatformSchema, SeqSchema } from './primitives';

/** Secret codes are checked by the hub, not by the schema, so a malformed code counts as a wrong attempt. */
const SecretSchema = z.string().min(1).max(128);

export const HelloSchema = frame('hello', {
  protocol: z.int().min(0),
  client: z.string().max(64).optional(),
});

export const PairCredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('code'), code: SecretSchema, displayName: NameSchema }),
  z.object({ kind: z.literal('joinToken'), token: SecretSchema, displayName: NameSchema }),
  z.object({ kind: z.literal('linkCode'), code: SecretSchema }),
]);
export type PairCredential = z.infer<typeof PairCredentialSchema>;

export const PairSchema = frame('pair', {
  credential: PairCredentialSchema,
  device: z.object({ name: NameSchema, platform: PlatformSchema }),
});

export const AuthSchema = frame('auth', { deviceId: IdSchema, token: SecretSchema });

export const SendSchema = frame('send', {
  conversationId: IdSchema,
  clientMsgId: ClientMsgIdSchema,
  text: z
    .string()
    .max(LIMITS.maxTextLength)
    .refine((t) => t.trim().length > 0, 'must not be blank'),
});

export const FetchMessagesSchema = frame('fetchMessages', {
  conversationId: IdSchema,
  /** `forward`: seq > cursor, oldest first. `backward`: the newest `limit` with seq < cursor. */
  direction: z.enum(['forward', 'backward']),
  cursor: SeqSchema,
  limit: z.int().min(1).max(LIMITS.maxPageSize).optional(),
});

export const MarkDeliveredSchema = frame('markDelivered', { conversationId: IdSchema, seq: SeqSchema });
export const MarkReadSchema = frame('markRead', { conversationId: IdSchema, seq: SeqSchema });
export const TypingSchema = frame('typing', { conversationId: IdSchema });

export const CreateGroupSchema = frame('createGroup', {
  name: NameSchema,
  memberUserIds: z.array(IdSchema).max(LIMITS.maxMembersPerRequest),
});
export const AddMembersSchema = frame('addMembers', {
  conversationId: IdSchema,
  userIds: z.array(IdSchema).min(1).max(LIMITS.maxMembersPerRequest),
});
export const OpenDirectSchema = frame('openDirect', { userId: IdSchema });

export const CreateLinkCodeSchema = frame('createLinkCode', {});
export const ListDevicesSchema = frame('listDevices', {});
export const RenameDeviceSchema = frame('renameDevice', { deviceId: IdSchema, name: NameSchema });
export const RemoveDeviceSchema = frame('removeDevice', { deviceId: IdSchema });

/** Browsers cannot see WebSocket pings; this lets them check that the hub still answers. */
export const PingSchema = frame('ping', {});

export const ClientFrameSchema = z.discriminatedUnion('type', [
  PingSchema,
  HelloSchema,
  PairSchema,
  AuthSchema,
  SendSchema,
  FetchMessagesSchema,
  MarkDeliveredSchema,
  MarkReadSchema,
  TypingSchema,
  CreateGroupSchema,
  AddMembersSchema,
  OpenDirectSchema,
  CreateLinkCodeSchema,
  ListDevicesSchema,
  RenameDeviceSchema,
  RemoveDeviceSchema,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];
export type ClientFrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;
/** What a client builds before sending: the input side, so defaults and transforms stay optional. */
export type ClientFrameInput = z.input<typeof ClientFrameSchema>;

export const CLIENT_FRAME_TYPES: readonly ClientFrameType[] = ClientFrameSchema.options.map((o) => o.shape.type.value);
