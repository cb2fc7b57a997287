/**
 * The desktop bridge's contract: what the Electron preload offers the renderer
 * as `window.roostDesktop`, and what crosses IPC between them. Declared once
 * here; the preload (main/electron/preload.ts) and the main-process handlers
 * (main/electron/ipc.ts) are both written against it, and main validates every
 * argument with these schemas before acting on it.
 *
 * The renderer talks to the hub over WebSocket like any browser. The bridge
 * carries only what a browser cannot do: host a hub, list hubs found on the
 * LAN, show native notifications, set the unread badge, open links outside.
 */
import { z } from 'zod';
import { IdSchema, PlatformSchema } from '../protocol/primitives';

/** The origin the desktop renderer is served from (a privileged custom scheme). */
export const DESKTOP_SCHEME = 'app';
export const DESKTOP_HOST = 'roost';
export const DESKTOP_ORIGIN = `${DESKTOP_SCHEME}://${DESKTOP_HOST}`;

/** `http(s)://host:port/...`: the only kind of address a hub or an external link may have. */
export const HttpUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);
/** `ws://host:port/ws` (or wss), the address a client connects to. */
export const WsUrlSchema = z.url({ protocol: /^wss?$/ }).max(2048);

export const HubNameSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'must not be blank').max(63, 'at most 63 characters (one DNS label)'));

/** A hub found on the LAN over mDNS and confirmed alive through GET /api/info. */
export const DiscoveredHubSchema = z.object({
  hubId: IdSchema,
  name: z.string().max(255),
  protocolVersion: z.int().min(0),
  /** Whether this app speaks that protocol version. */
  compatible: z.boolean(),
  /** Where /api/info answered, e.g. `http://192.168.1.20:7420/`. */
  url: HttpUrlSchema,
  /** Every address the hub announced, IPv4 first. */
  addresses: z.array(z.string().max(64)).max(16),
  port: z.int().min(1).max(65535),
});
export type DiscoveredHub = z.infer<typeof DiscoveredHubSchema>;

export const ConnectedDeviceSchema = z.object({
  deviceId: IdSchema,
  deviceName: z.string(),
  userName: z.string(),
  platform: PlatformSchema,
  /** Connections this device has open now (a device may have a few tabs). */
  connections: z.int().min(1),
});
export type ConnectedDevice = z.infer<typeof ConnectedDeviceSchema>;

export const HostingConfigSchema = z.object({
  name: HubNameSchema,
  /** 0 picks a free port. */
  port: z.int().min(0).max(65535),
});
export type HostingConfig = z.infer<typeof HostingConfigSchema>;

export const HostingStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('off') }),
  z.object({ state: z.literal('starting') }),
  z.object({
    state: z.literal('running'),
    hubId: IdSchema,
    name: z.string(),
    port: z.int().min(1).max(65535),
    /** `http://ADDRESS:PORT/` for each LAN address, then localhost. */
    urls: z.array(HttpUrlSchema),
    pairingCode: z.object({ code: z.string(), expiresAt: z.int() }),
    /** One-time join link for a phone or browser (shown as a QR code); refreshed after use or expiry. */
    joinUrl: HttpUrlSchema,
    joinUrlExpiresAt: z.int(),
    /** Whether the hub is advertised over mDNS (it may fail: port 5353 taken, no multicast). */
    advertised: z.boolean(),
    connected: z.array(ConnectedDeviceSchema),
  }),
  z.object({
    state: z.literal('error'),
    /** Stable: PORT_IN_USE, DATA_DIR_LOCKED, START_FAILED. */
    code: z.enum(['PORT_IN_USE', 'DATA_DIR_LOCKED', 'START_FAILED']),
    message: z.string(),
  }),
]);
export type HostingStatus = z.infer<typeof HostingStatusSchema>;

/** What this desktop does: not chosen yet (first run), host a hub here, or join one elsewhere. */
export const SetupSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('unset') }),
  z.object({ mode: z.literal('host'), hosting: HostingConfigSchema }),
  z.object({ mode: z.literal('join'), hubUrl: WsUrlSchema }),
]);
export type Setup = z.infer<typeof SetupSchema>;

export const NotificationRequestSchema = z.object({
  conversationId: IdSchema,
  /** Sender, and the room name for group conversations. */
  title: z.string().min(1).max(200),
  body: z.string().max(4000),
});
export type NotificationRequest = z.infer<typeof NotificationRequestSchema>;

export const UnreadCountSchema = z.int().min(0).max(1_000_000);
export const MutedSchema = z.boolean();
export const ExternalUrlSchema = HttpUrlSchema;

export const DeviceIdentitySchema = z.object({ name: z.string().min(1).max(64), platform: PlatformSchema });
export type DeviceIdentity = z.infer<typeof DeviceIdentitySchema>;

/** A one-time join token for this desktop's own renderer, so the host pairs without a code. */
export const OwnerTicketSchema = z.object({ joinToken: z.string().min(1).max(128) });
export type OwnerTicket = z.infer<typeof OwnerTicketSchema>;
