/**
 * The desktop bridge: every operation the preload exposes, with the schema of
 * its arguments and of its result, and every event main pushes to the
 * renderer. The `DesktopBridge` type is derived from this table, so the
 * preload, the IPC handlers and the renderer cannot drift apart.
 *
 * Over IPC each method is `ipcRenderer.invoke(bridgeChannel(name), ...args)`;
 * each event is sent on `bridgeEventChannel(name)`. Main parses `args` with
 * the method's schema and rejects the call (BAD_ARGUMENTS) when they do not fit.
 */
import { z } from 'zod';
import { IdSchema, SeqSchema } from '../protocol/primitives';
import {
  AuditEntrySchema,
  DeviceIdentitySchema,
  DiscoveredHubSchema,
  ExternalUrlSchema,
  HostingConfigSchema,
  HostingStatusSchema,
  HttpUrlSchema,
  HubIdentitySchema,
  HubTrustSchema,
  InspectedHubSchema,
  MutedSchema,
  NotificationRequestSchema,
  OperatorDeviceSchema,
  OperatorUserSchema,
  OwnerTicketSchema,
  SetupSchema,
  UnreadCountSchema,
  WsUrlSchema,
} from './bridgeSchemas';

type Method<A extends z.ZodTuple, R extends z.ZodType> = { args: A; result: R };
const method = <A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R): Method<A, R> => ({ args, result });
const none = z.tuple([]);

export const BRIDGE_METHODS = {
  /** What this desktop was set up to do; `unset` on first run. */
  getSetup: method(none, SetupSchema),
  /** First run or settings: host a hub here (starts it) or join the hub at a ws:// URL. */
  chooseHost: method(z.tuple([HostingConfigSchema]), HostingStatusSchema),
  /**
   * Join the hub at this address, pinning `identity`: from the join link (`#join=…&id=…`), from the discovered
   * hub, or from inspectHub, each shown to the person to compare. Stored as `wss://` (loopback stays as given).
   * Without an identity, main asks the hub and pins what it proves (trust on first use); a renderer should
   * show that identity first (inspectHub). Resolves with the pinned identity.
   */
  chooseJoin: method(z.tuple([WsUrlSchema, HubIdentitySchema.optional()]), z.object({ identity: HubIdentitySchema })),
  /** Asks the hub at a typed address (http(s) or ws(s)) for its info and the identity it proves inside TLS. */
  inspectHub: method(z.tuple([z.union([WsUrlSchema, HttpUrlSchema])]), InspectedHubSchema),
  /** Whether the joined hub is still the one pinned (also the `hubTrust` event). */
  hubTrust: method(none, HubTrustSchema),
  /** Forget the choice (stops hosting); the renderer shows the first-run screen again. */
  resetSetup: method(none, z.void()),
  /** The hub this app talks to, as `ws://host:port/ws`; undefined until set up. */
  hubUrl: method(none, WsUrlSchema.optional()),
  /** How this computer introduces itself when it pairs. */
  device: method(none, DeviceIdentitySchema),
  hostingStatus: method(none, HostingStatusSchema),
  startHosting: method(z.tuple([HostingConfigSchema]), HostingStatusSchema),
  stopHosting: method(none, HostingStatusSchema),
  /** While hosting: accept codes for the next 10 minutes (a new code), or extend the open window. */
  openPairing: method(none, HostingStatusSchema),
  /** While hosting: refuse codes from now on (join links still work). */
  closePairing: method(none, HostingStatusSchema),
  /** While hosting: every user of the hub, removed ones flagged, with their devices (also the `people` event). */
  people: method(none, z.array(OperatorUserSchema)),
  /** While hosting: removes any device of any user; it is cut off at once. Resolves once it is on disk. */
  removeAnyDevice: method(z.tuple([IdSchema]), OperatorDeviceSchema),
  /** While hosting: removes a user and all their devices; their messages stay, shown as from a removed user. */
  removeUser: method(z.tuple([IdSchema]), OperatorUserSchema),
  /** While hosting: deletes a message of the hosted hub for everyone (conversation id, seq). */
  deleteMessage: method(z.tuple([IdSchema, SeqSchema.min(1)]), z.void()),
  /** While hosting: the newest entries of the hub's audit log, newest first (at most 200). */
  auditLog: method(z.tuple([z.int().min(1).max(200)]), z.array(AuditEntrySchema)),
  /** While hosting: a one-time join token so this desktop's renderer pairs as the owner without a code. */
  ownerTicket: method(none, OwnerTicketSchema.nullable()),
  /** Hubs on the LAN now (also pushed as the `discoveredHubs` event). */
  discoveredHubs: method(none, z.array(DiscoveredHubSchema)),
  /** A message arrived. Main shows it only if the window is hidden or unfocused and notifications are not muted. */
  notify: method(z.tuple([NotificationRequestSchema]), z.boolean()),
  /**
   * Whether the window is shown and focused, as the OS sees it (also pushed as
   * the `windowAttended` event). The desktop marks messages read only while it
   * is: a page cannot tell, since a window hidden to the tray stays "visible".
   */
  windowAttended: method(none, z.boolean()),
  /** Total unread messages, for the tray and the app badge. */
  setUnreadCount: method(z.tuple([UnreadCountSchema]), z.void()),
  getMuted: method(none, MutedSchema),
  setMuted: method(z.tuple([MutedSchema]), z.void()),
  /** Opens an http(s) link in the system browser; false if refused. */
  openExternal: method(z.tuple([ExternalUrlSchema]), z.boolean()),
} as const;

export const BRIDGE_EVENTS = {
  discoveredHubs: z.array(DiscoveredHubSchema),
  hostingStatus: HostingStatusSchema,
  /** A notification was clicked: show this conversation. */
  openConversation: IdSchema,
  /** The window was shown, hidden, focused, blurred, minimized or restored: whether it is attended now. */
  windowAttended: z.boolean(),
  /** Notifications were muted or unmuted (from the renderer or the tray menu). */
  muted: MutedSchema,
  /** The hosted hub's users or devices changed (paired, connected, removed; through the CLI too). */
  people: z.array(OperatorUserSchema),
  /** The pin check refused the joined hub (HUB_IDENTITY_CHANGED...), or a new join cleared that. */
  hubTrust: HubTrustSchema,
} as const;

export type BridgeMethodName = keyof typeof BRIDGE_METHODS;
export type BridgeEventName = keyof typeof BRIDGE_EVENTS;
export type BridgeArgs<K extends BridgeMethodName> = z.input<(typeof BRIDGE_METHODS)[K]['args']>;
export type BridgeResult<K extends BridgeMethodName> = z.output<(typeof BRIDGE_METHODS)[K]['result']>;
export type BridgeEvent<E extends BridgeEventName> = z.output<(typeof BRIDGE_EVENTS)[E]>;

/** `window.roostDesktop`: one named method per operation, plus event subscription. */
export type DesktopBridge = { [K in BridgeMethodName]: (...args: BridgeArgs<K>) => Promise<BridgeResult<K>> } & {
  /** Subscribes to a main-process event; returns the unsubscribe function. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvent<E>) => void): () => void;
};

export const BRIDGE_METHOD_NAMES = Object.keys(BRIDGE_METHODS) as BridgeMethodName[];
export const BRIDGE_EVENT_NAMES = Object.keys(BRIDGE_EVENTS) as BridgeEventName[];

export const bridgeChannel = (name: BridgeMethodName): string => `roost:${name}`;
export const bridgeEventChannel = (name: BridgeEventName): string => `roost:event:${name}`;
/** The global the preload defines in the renderer. */
export const BRIDGE_GLOBAL = 'roostDesktop';

/**
 * What main implements behind the IPC handlers: each method receives its
 * arguments already parsed by the method's schema.
 */
export type BridgeHandlers = {
  [K in BridgeMethodName]: (
    ...args: z.output<(typeof BRIDGE_METHODS)[K]['args']>
  ) => Promise<BridgeResult<K>> | BridgeResult<K>;
};
