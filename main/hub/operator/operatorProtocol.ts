import { z } from 'zod';
import { AuditEntrySchema, OperatorDeviceSchema, OperatorUserSchema } from '../../../shared/hub/operatorViews';
import { PairingStateSchema } from '../../../shared/hub/pairingState';
import { HubNameSchema, IdSchema, SeqSchema } from '../../../shared/protocol';
import { MAX_AUDIT_READ } from './AuditLog';

/**
 * The operator socket's protocol (docs: ARCHITECTURE "Operator controls"): one JSON object per line each
 * way, over a Unix socket in the hub's data directory (a named pipe on Windows), never over the network.
 * A request `{"id","command","args"}` gets exactly one response with its `id`: `{"id","ok":true,"result"}`
 * or `{"id","ok":false,"error":{"code","message"}}`. Both ends parse with these schemas.
 */

const none = z.object({});
const command = <A extends z.ZodType, R extends z.ZodType>(args: A, result: R) => ({ args, result });

export const OPERATOR_COMMANDS = {
  /** Every user, removed ones flagged, with their devices. */
  users: command(none, z.array(OperatorUserSchema)),
  /** Every device of every user. */
  devices: command(none, z.array(OperatorDeviceSchema)),
  'remove-device': command(z.object({ deviceId: IdSchema }), z.object({ device: OperatorDeviceSchema })),
  'remove-user': command(
    z.object({ userId: IdSchema }),
    z.object({ user: OperatorUserSchema, alreadyRemoved: z.boolean() }),
  ),
  'delete-message': command(
    z.object({ conversationId: IdSchema, seq: SeqSchema.min(1) }),
    z.object({ conversationName: z.string(), senderName: z.string(), deletionSeq: SeqSchema.optional() }),
  ),
  rename: command(z.object({ name: HubNameSchema }), z.object({ name: z.string() })),
  pairing: command(none, PairingStateSchema),
  'pairing-open': command(z.object({ minutes: z.int().min(1).max(60).optional() }), PairingStateSchema),
  'pairing-close': command(none, PairingStateSchema),
  audit: command(z.object({ limit: z.int().min(1).max(MAX_AUDIT_READ).optional() }), z.array(AuditEntrySchema)),
} as const;

export type OperatorCommand = keyof typeof OPERATOR_COMMANDS;
export type OperatorArgs<C extends OperatorCommand> = z.input<(typeof OPERATOR_COMMANDS)[C]['args']>;
export type OperatorResult<C extends OperatorCommand> = z.output<(typeof OPERATOR_COMMANDS)[C]['result']>;
export const OPERATOR_COMMAND_NAMES = Object.keys(OPERATOR_COMMANDS) as OperatorCommand[];

export const OperatorErrorCode = {
  /** Not one JSON object per line, or fields missing or invalid. */
  BAD_REQUEST: 'BAD_REQUEST',
  UNKNOWN_COMMAND: 'UNKNOWN_COMMAND',
  /** No such user, device, conversation or message. */
  NOT_FOUND: 'NOT_FOUND',
  /** The hub could not write the change (disk full or failing); see the message for what did happen. */
  STORAGE_FAILED: 'STORAGE_FAILED',
  /** The conversation's history on disk is damaged; the hub's log says how to repair it. */
  STORAGE_CORRUPT: 'STORAGE_CORRUPT',
  /** A request over the size limit, or too many operator connections at once. */
  TOO_LARGE: 'TOO_LARGE',
  BUSY: 'BUSY',
  /** The hub is stopping. */
  STOPPING: 'STOPPING',
  INTERNAL: 'INTERNAL',
} as const;
export type OperatorErrorCode = (typeof OperatorErrorCode)[keyof typeof OperatorErrorCode];

/** A refusal with a stable code and a message for the owner. */
export class OperatorError extends Error {
  constructor(
    readonly code: OperatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

const RequestIdSchema = z.string().min(1).max(64);

export const OperatorRequestSchema = z.object({
  id: RequestIdSchema,
  command: z.string().min(1).max(64),
  args: z.record(z.string(), z.unknown()).default({}),
});
export type OperatorRequest = z.infer<typeof OperatorRequestSchema>;

export const OperatorResponseSchema = z.discriminatedUnion('ok', [
  z.object({ id: RequestIdSchema, ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: RequestIdSchema.nullable(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type OperatorResponse = z.infer<typeof OperatorResponseSchema>;

export const OPERATOR_SOCKET_DEFAULTS = {
  /** Largest request line; a longer one is refused and the connection closed. */
  maxRequestBytes: 16 * 1024,
  /** Operator connections at once; more are refused (BUSY) and closed. */
  maxConnections: 4,
  /** A connection idle this long is closed. */
  idleTimeoutMs: 60_000,
} as const;
export type OperatorSocketOptions = { [K in keyof typeof OPERATOR_SOCKET_DEFAULTS]?: number };
