import { z } from 'zod';
import { IdSchema, PlatformSchema } from '../protocol/primitives';

/**
 * What the hub's operator API (Hub.operator) reports to its owner: the desktop app's This hub screen
 * shows these, and the CLI prints them (they cross the operator socket and the desktop bridge, so
 * both ends parse them with these schemas).
 */

export const OperatorDeviceSchema = z.object({
  id: IdSchema,
  userId: IdSchema,
  /** The display name of the device's user. */
  userName: z.string(),
  name: z.string(),
  platform: PlatformSchema,
  pairedAt: z.int().min(0),
  lastSeenAt: z.int().min(0),
  /** Ready connections it has now. */
  connections: z.int().min(0),
  /**
   * Only for a device paired under protocol 1 that has not bound a key: until when it may (PROTOCOL.md 6.7). Past it
   * the device must pair again; the owner may as well remove it.
   */
  keyMigrationUntil: z.int().min(0).optional(),
});
export type OperatorDevice = z.infer<typeof OperatorDeviceSchema>;

export const OperatorUserSchema = z.object({
  id: IdSchema,
  displayName: z.string(),
  createdAt: z.int().min(0),
  /** When the owner removed the user; absent for everyone else. */
  removedAt: z.int().min(0).optional(),
  online: z.boolean(),
  devices: z.array(OperatorDeviceSchema),
});
export type OperatorUser = z.infer<typeof OperatorUserSchema>;

/** Who did what an audit entry records: the owner through the desktop app or the CLI, or a device on the network. */
export const AuditActorSchema = z.enum(['desktop', 'cli', 'network']);
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditActionSchema = z.enum([
  'removeDevice',
  'removeUser',
  'deleteMessage',
  'renameHub',
  'openPairing',
  'closePairing',
  'failedPairing',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** One line of the audit log: an operator action, or failed pairing attempts from one address. */
export const AuditEntrySchema = z.object({
  at: z.int().min(0),
  actor: AuditActorSchema,
  action: AuditActionSchema,
  /** What it was done to, for people: `device "Pixel" (id) of Ann`, `message 12 in General`, an address. */
  target: z.string().max(500),
  /** `ok`, an error code, or for failed pairings what the attempts were refused as. */
  result: z.string().max(100),
  /** More for people: an error's message, how many attempts. */
  detail: z.string().max(1000).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** How each actor reads in the log and the CLI. */
export const AUDIT_ACTOR_LABELS: Readonly<Record<AuditActor, string>> = {
  desktop: 'owner via desktop',
  cli: 'owner via CLI',
  network: 'a device on the network',
};
