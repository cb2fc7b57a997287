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
import { ConnectedDeviceSchema } from '../hub/connectedDevice';
import { PairingStateSchema } from '../hub/pairingState';
import { HubIdentitySchema } from '../protocol/hubIdentity';
import { HubNameSchema, IdSchema, PlatformSchema } from '../protocol/primitives';
import { HttpUrlSchema, WsUrlSchema } from '../protocol/urls';

// What the bridge carries but lower layers own: the hub reports connected devices, discovery finds hubs,
// and the protocol names the addresses and the desktop origin hubs accept. Re-exported so the bridge's
// users have one place to import from.
export { ConnectedDeviceSchema, type ConnectedDevice } from '../hub/connectedDevice';
export { PairingFailureSchema, PairingStateSchema, type PairingFailure, type PairingState } from '../hub/pairingState';
export {
  AUDIT_ACTOR_LABELS,
  AuditEntrySchema,
  OperatorDeviceSchema,
  OperatorUserSchema,
  type AuditEntry,
  type OperatorDevice,
  type OperatorUser,
} from '../hub/operatorViews';
export { DiscoveredHubSchema, type DiscoveredHub } from '../discovery/discoveredHub';
export { HubNameSchema } from '../protocol/primitives';
export { HubIdentitySchema } from '../protocol/hubIdentity';
export { DESKTOP_HOST, DESKTOP_ORIGIN, DESKTOP_SCHEME, HttpUrlSchema, WsUrlSchema } from '../protocol/urls';

/** Paths on this computer to a certificate (PEM, a chain allowed) and its key, for a name the owner has. */
export const OwnerCertificateSchema = z.object({
  certFile: z.string().min(1).max(4096),
  keyFile: z.string().min(1).max(4096),
});
export type OwnerCertificate = z.infer<typeof OwnerCertificateSchema>;

export const HostingConfigSchema = z.object({
  name: HubNameSchema,
  /** 0 picks a free port. */
  port: z.int().min(0).max(65535),
  /**
   * Served instead of the hub's self-signed certificate, so browsers trust the hub (`--tls-cert`/`--tls-key`
   * of the headless hub); devices keep pinning the hub's own identity. Absent: the self-signed one.
   */
  certificate: OwnerCertificateSchema.optional(),
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
    /** Whether codes are accepted (the code only while they are), and the recent failed attempts. */
    pairing: PairingStateSchema,
    /** One-time join link for a phone or browser (shown as a QR code); refreshed after use or expiry. */
    joinUrl: HttpUrlSchema,
    joinUrlExpiresAt: z.int(),
    /** The hub's identity (hubIdentity.ts): what devices pin and people compare. */
    identity: HubIdentitySchema,
    /** SHA-256 of its public key as hex pairs, as browsers' certificate viewers show "Public Key SHA-256". */
    publicKeyFingerprint: z.string().regex(/^[0-9A-F]{2}( [0-9A-F]{2}){31}$/),
    /** Whether the hub is advertised over mDNS (it may fail: port 5353 taken, no multicast). */
    advertised: z.boolean(),
    connected: z.array(ConnectedDeviceSchema),
  }),
  z.object({
    state: z.literal('error'),
    /** Stable: PORT_IN_USE, DATA_DIR_LOCKED, TLS_CERT_INVALID (the owner's certificate), START_FAILED. */
    code: z.enum(['PORT_IN_USE', 'DATA_DIR_LOCKED', 'TLS_CERT_INVALID', 'START_FAILED']),
    message: z.string(),
  }),
]);
export type HostingStatus = z.infer<typeof HostingStatusSchema>;

/** What this desktop does: not chosen yet (first run), host a hub here, or join one elsewhere. */
export const SetupSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('unset') }),
  z.object({ mode: z.literal('host'), hosting: HostingConfigSchema }),
  z.object({
    mode: z.literal('join'),
    /** `wss://host:port/ws`; `ws://` only for a hub on this computer (loopback), which stays plain. */
    hubUrl: WsUrlSchema,
    /**
     * The identity this app pinned for that hub (from a join link, discovery's proven identity, or the typed
     * address's proof, each shown to compare). Absent only in settings from before identities: the app then asks
     * which hub to join again, so nothing is pinned without the person seeing it.
     */
    identity: HubIdentitySchema.optional(),
  }),
]);
export type Setup = z.infer<typeof SetupSchema>;

/**
 * Whether the joined hub is the one this app paired with, as the pin check last found it. `refused` until the
 * person forgets the hub (resetSetup) and pairs again: never re-pinned silently.
 */
export const HubTrustSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ok') }),
  z.object({
    state: z.literal('refused'),
    /**
     * HUB_IDENTITY_CHANGED: the hub at this address showed another identity (someone in the middle, or a new
     * identity on purpose). HUB_IDENTITY_UNPROVEN: it proved none (its owner's certificate, and no proof behind it).
     */
    code: z.enum(['HUB_IDENTITY_CHANGED', 'HUB_IDENTITY_UNPROVEN']),
    hubUrl: WsUrlSchema,
    /** The identity this app paired with. */
    pinned: HubIdentitySchema,
    /** The one shown instead, to compare with what the hub's owner sees. */
    presented: HubIdentitySchema.optional(),
    message: z.string().max(1000),
  }),
]);
export type HubTrust = z.infer<typeof HubTrustSchema>;

/** A hub at a typed address, as it proved itself over TLS: shown to compare before joining it. */
export const InspectedHubSchema = z.object({
  /** Where to join it: `wss://host:port/ws` (or `ws://` on loopback). */
  wsUrl: WsUrlSchema,
  /** The identity it proved inside TLS for this one connection; pinned if the person joins. */
  identity: HubIdentitySchema,
  hubId: IdSchema,
  name: z.string().max(255),
  protocolVersion: z.int().min(0),
});
export type InspectedHub = z.infer<typeof InspectedHubSchema>;

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
