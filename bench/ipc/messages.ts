import { z } from 'zod';

/**
 * Everything that crosses a process boundary in the benchmark: orchestrator
 * to server, orchestrator to load generator, and their replies. Every message
 * is a request with an `id`, answered by exactly one reply with the same id.
 */

/** `wsTls` and `roostTls` are (1) and (4) over TLS (wss://): issue #14's comparison. */
export const ServerKindSchema = z.enum(['ws', 'wsFrame', 'socketio', 'roost', 'wsTls', 'roostTls']);
export type ServerKind = z.infer<typeof ServerKindSchema>;

const Id = z.number().int();
/**
 * A paired bench device: its ids and its P-256 private key (32 bytes, base64url), which crosses to the load
 * generator so that it can sign `auth` as the device. Throwaway keys of a throwaway hub, on loopback only.
 */
const Credentials = z.object({ userId: z.string(), deviceId: z.string(), secretKey: z.string() });
export type Credentials = z.infer<typeof Credentials>;

export const ServerRequestSchema = z.discriminatedUnion('type', [
  z.object({ id: Id, type: z.literal('cpu') }),
  z.object({ id: Id, type: z.literal('rss') }),
  z.object({ id: Id, type: z.literal('joinToken') }),
  z.object({ id: Id, type: z.literal('stop') }),
]);
export type ServerRequest = z.infer<typeof ServerRequestSchema>;

export const ServerReplySchema = z.discriminatedUnion('type', [
  z.object({ id: Id, type: z.literal('cpu'), micros: z.number(), mainThreadMicros: z.number().nullable() }),
  z.object({ id: Id, type: z.literal('rss'), bytes: z.number() }),
  z.object({ id: Id, type: z.literal('joinToken'), token: z.string() }),
  z.object({ id: Id, type: z.literal('stopped') }),
  z.object({ id: Id, type: z.literal('error'), message: z.string() }),
]);
export type ServerReply = z.infer<typeof ServerReplySchema>;

/** Sent once, unasked (id 0), when the server listens. */
export const ServerStartedSchema = z.object({
  id: z.literal(0),
  type: z.literal('started'),
  port: z.number().int(),
  startMs: z.number(),
  /** The Roost hub's identity, which a client over TLS checks the hub's proof against. */
  identity: z.string().optional(),
});
export type ServerStarted = z.infer<typeof ServerStartedSchema>;

export const RoostSetupSchema = z.object({
  /** Pairs the sender with this one-time join token, then creates the group through the protocol. */
  joinToken: z.string(),
  receivers: z.array(Credentials),
});
export type RoostSetup = z.infer<typeof RoostSetupSchema>;

export const LoadRequestSchema = z.discriminatedUnion('type', [
  z.object({
    id: Id,
    type: z.literal('connect'),
    kind: ServerKindSchema,
    port: z.number().int(),
    receivers: z.number().int(),
    roost: RoostSetupSchema.optional(),
    pin: z.string().optional(),
  }),
  z.object({
    id: Id,
    type: z.literal('idle'),
    kind: ServerKindSchema,
    port: z.number().int(),
    devices: z.array(Credentials).optional(),
    count: z.number().int(),
    pin: z.string().optional(),
  }),
  z.object({ id: Id, type: z.literal('closeIdle') }),
  z.object({
    id: Id,
    type: z.literal('startLoad'),
    mode: z.enum(['saturate', 'fixed']),
    deliveriesPerSec: z.number(),
    windowDeliveries: z.number().int(),
  }),
  z.object({ id: Id, type: z.literal('measureStart') }),
  z.object({ id: Id, type: z.literal('measureStop') }),
  z.object({ id: Id, type: z.literal('stopLoad') }),
  z.object({
    id: Id,
    type: z.literal('appends'),
    port: z.number().int(),
    device: Credentials,
    conversationId: z.string(),
    mode: z.enum(['saturate', 'fixed']),
    messagesPerSec: z.number(),
    window: z.number().int(),
    warmupMs: z.number(),
    measureMs: z.number(),
  }),
  z.object({
    id: Id,
    type: z.literal('catchUp'),
    port: z.number().int(),
    device: Credentials,
    conversationId: z.string(),
    missed: z.number().int(),
  }),
  z.object({ id: Id, type: z.literal('close') }),
]);
export type LoadRequest = z.infer<typeof LoadRequestSchema>;

/**
 * What every measured window reports: its length, what was sent in it
 * (the rate actually offered, which a busy load generator may fall short of) and latency.
 */
const MeasuredWindowSchema = z.object({
  seconds: z.number(),
  sent: z.number(),
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

export const WindowStatsSchema = MeasuredWindowSchema.extend({ deliveries: z.number() });
export type WindowStats = z.infer<typeof WindowStatsSchema>;

export const AppendStatsSchema = MeasuredWindowSchema.extend({
  acks: z.number(),
  /** Sends still unacknowledged when the load generator gave up waiting and closed. */
  unacked: z.number(),
});
export type AppendStats = z.infer<typeof AppendStatsSchema>;

export const LoadReplySchema = z.discriminatedUnion('type', [
  z.object({ id: Id, type: z.literal('done') }),
  z.object({ id: Id, type: z.literal('window'), stats: WindowStatsSchema }),
  z.object({ id: Id, type: z.literal('appends'), stats: AppendStatsSchema }),
  z.object({ id: Id, type: z.literal('catchUp'), ms: z.number(), messages: z.number().int(), pages: z.number().int() }),
  z.object({ id: Id, type: z.literal('error'), message: z.string() }),
]);
export type LoadReply = z.infer<typeof LoadReplySchema>;
