import {
  authProofText,
  CloseCode,
  ErrorCode,
  IncompatibleReason,
  MIN_PROTOCOL_VERSION,
  pairProofText,
  PROTOCOL_VERSION,
  type ClientFrameOf,
  type Platform,
} from '../../../shared/protocol';
import type { Connection } from '../Connection';
import { parseDevicePublicKey, requireKeyPossession, verifiesDeviceSignature } from '../deviceKey';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import type { DeviceRecord, UserRecord } from '../registry/registrySchema';
import { conversationToWire, deviceToWire, userToWire } from '../wireMapping';

export function handleHello(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'hello'>): void {
  if (frame.protocol < MIN_PROTOCOL_VERSION || frame.protocol > PROTOCOL_VERSION) {
    const reason =
      frame.protocol < MIN_PROTOCOL_VERSION ? IncompatibleReason.CLIENT_TOO_OLD : IncompatibleReason.CLIENT_TOO_NEW;
    conn.send({
      type: 'incompatible',
      rid: frame.rid,
      reason,
      hubProtocol: PROTOCOL_VERSION,
      minProtocol: MIN_PROTOCOL_VERSION,
    });
    conn.close(CloseCode.INCOMPATIBLE_PROTOCOL, reason);
    return;
  }
  conn.greet(frame.protocol);
  conn.send({ type: 'welcome', rid: frame.rid, hub: ctx.info(), serverTime: ctx.now(), challenge: conn.challenge });
}

export async function handlePair(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'pair'>): Promise<void> {
  const { publicKey, credential } = frame;
  // Before the token is looked at: a device that cannot sign is a broken client, not a guess.
  requireKeyPossession(publicKey, pairProofText(ctx.info().identity, conn.challenge, publicKey), frame.signature);
  await pairDevice(ctx, conn, frame.rid, { ...frame.device, publicKey }, async () => {
    ctx.gate.consumeJoinToken(credential.token, conn.address);
    return { user: await ctx.registry.createUser(credential.displayName), created: true };
  });
}

export type NewDevice = { name: string; platform: Platform; publicKey: string };
type AdmittedUser = { user: UserRecord; created: boolean };

/**
 * Stores a device whose secret was accepted (`admitUser` checks it and finds or makes its user), answers `paired`
 * and starts its session (PROTOCOL.md 6.2, 6.3).
 */
export async function pairDevice(
  ctx: HubContext,
  conn: Connection,
  rid: string | undefined,
  newDevice: NewDevice,
  admitUser: () => Promise<AdmittedUser>,
): Promise<void> {
  conn.startPairing();
  let admitted: AdmittedUser & { device: DeviceRecord };
  try {
    admitted = await admit(ctx, newDevice, admitUser);
  } catch (err) {
    conn.refusePairing();
    throw err;
  }
  const { user, created, device } = admitted;
  ctx.logger.info(`paired device "${device.name}" (${device.platform}) for user "${user.displayName}"`);
  if (conn.state === 'closed') {
    // The connection died while we paired it: its device never learned its id, and nobody knows this user.
    await ctx.registry.removeDevice(device.id);
    if (created) await ctx.registry.removeUser(user.id);
    return;
  }
  conn.send({ type: 'paired', rid, userId: user.id, deviceId: device.id });
  // Others learn who the user is before they see the user come online.
  if (created) announceNewUser(ctx, user, conn);
  enterSession(ctx, conn, device);
}

/** Checks the secret, finds or creates the user the new device belongs to, and stores the device. */
async function admit(
  ctx: HubContext,
  newDevice: NewDevice,
  admitUser: () => Promise<AdmittedUser>,
): Promise<AdmittedUser & { device: DeviceRecord }> {
  const { user, created } = await admitUser();
  const device = await ctx.registry.addDevice({ userId: user.id, ...newDevice });
  // The owner may have removed the user while the device was being stored (11.8): it must not get in.
  if (!ctx.registry.activeUser(user.id)) {
    await ctx.registry.removeDevice(device.id);
    throw removedUserRefusal();
  }
  return { user, created, device };
}

export function removedUserRefusal(): HubError {
  return new HubError(
    ErrorCode.LINK_CODE_INVALID,
    'The user this link code was made for was removed from the hub. Pair with a pairing code or a join link.',
  );
}

export async function handleAuth(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'auth'>): Promise<void> {
  const device = ctx.registry.device(frame.deviceId);
  if (!device) throw authFailed('This device is not paired with this hub (unknown or removed). Pair it again.');
  const proof = authProofText(ctx.info().identity, conn.challenge, device.id);
  if (device.publicKey) {
    if (!verifiesDeviceSignature(parseDevicePublicKey(device.publicKey), proof, frame.signature)) {
      throw authFailed("The signature does not verify with this device's key. Pair it again.");
    }
    enterSession(ctx, conn, device, frame.rid);
    return;
  }
  conn.startPairing();
  let bound: DeviceRecord;
  try {
    bound = await bindKey(ctx, device, frame, proof);
  } catch (err) {
    conn.refusePairing();
    throw err;
  }
  if (conn.state === 'closed') return;
  ctx.logger.info(`device "${bound.name}" bound its key (protocol 1 to 2)`);
  enterSession(ctx, conn, bound, frame.rid);
}

/** A device paired under protocol 1 trades its token for a key, once, within the migration window (6.7). */
async function bindKey(
  ctx: HubContext,
  device: DeviceRecord,
  frame: ClientFrameOf<'auth'>,
  proof: string,
): Promise<DeviceRecord> {
  const deadline = ctx.registry.protocol2Since + ctx.keyMigrationWindowMs;
  if (ctx.now() >= deadline) {
    throw authFailed(
      `This device was paired under protocol 1 and did not bind a key before ${new Date(deadline).toISOString()}, ` +
        'when the migration window closed. Pair it again.',
    );
  }
  const { migrate } = frame;
  if (!migrate) {
    throw authFailed('This device was paired under protocol 1: send `migrate` with its token and a new key (6.7).');
  }
  if (!ctx.registry.unmigratedDevice(device.id, migrate.token)) {
    throw authFailed('This device is not paired with this hub (wrong token). Pair it again.');
  }
  if (!verifiesMigrationKey(migrate.publicKey, proof, frame.signature)) {
    throw authFailed('migrate.publicKey is not a P-256 key, or the signature does not verify with it. Pair it again.');
  }
  const bound = await ctx.registry.bindDeviceKey(device.id, migrate.publicKey);
  if (bound) return bound;
  // Another connection of this device bound a key meanwhile (two tabs migrating at once): the same key is in.
  const now = ctx.registry.device(device.id);
  if (now?.publicKey && verifiesDeviceSignature(parseDevicePublicKey(now.publicKey), proof, frame.signature))
    return now;
  throw authFailed('This device was removed, or bound another key meanwhile. Pair it again.');
}

/** Every `auth` failure is AUTH_FAILED (6.6): a client cannot repair a bad migration key, only pair again. */
function verifiesMigrationKey(publicKey: string, proof: string, signature: string): boolean {
  try {
    return verifiesDeviceSignature(parseDevicePublicKey(publicKey), proof, signature);
  } catch {
    return false;
  }
}

function authFailed(message: string): HubError {
  return new HubError(ErrorCode.AUTH_FAILED, message);
}

/** Registers the connection for pushes and sends the snapshot it starts from. */
function enterSession(ctx: HubContext, conn: Connection, device: DeviceRecord, rid?: string): void {
  conn.authenticate({ userId: device.userId, deviceId: device.id });
  // Added before the snapshot is taken and with no await in between: every
  // message committed from here on is pushed, everything before is fetchable.
  if (ctx.sessions.add(conn)) ctx.presence.changed(device.userId);
  ctx.registry.touchDevice(device.id);
  const { registry, sessions } = ctx;
  ctx.presence.snapshotTaken(conn);
  conn.send({
    type: 'ready',
    rid,
    self: { userId: device.userId, deviceId: device.id },
    users: registry.users().map((u) => userToWire(u, sessions)),
    devices: registry.devicesOf(device.userId).map((d) => deviceToWire(d, sessions)),
    conversations: registry
      .conversationsOf(device.userId)
      .map((c) => conversationToWire(c, registry, ctx.log.lastSeq(c.id))),
    blockedUserIds: registry.blockedBy(device.userId),
  });
  pushDeviceList(ctx, device.userId, conn);
}

/** Removes a closed or revoked connection; safe to call twice. */
export function leaveSession(ctx: HubContext, conn: Connection): void {
  const wasReady = ctx.sessions.ofDevice(conn.deviceId).has(conn);
  if (!wasReady) return;
  if (ctx.sessions.remove(conn)) ctx.presence.changed(conn.userId);
  ctx.registry.touchDevice(conn.deviceId);
  pushDeviceList(ctx, conn.userId);
}

export function pushDeviceList(ctx: HubContext, userId: string, except?: Connection): void {
  const devices = ctx.registry.devicesOf(userId).map((d) => deviceToWire(d, ctx.sessions));
  ctx.fanout.toUser(userId, { type: 'devices', devices }, except);
}

/** Everyone learns the new user, and the default room's member list grows. */
function announceNewUser(ctx: HubContext, user: UserRecord, except: Connection): void {
  ctx.fanout.toAll({ type: 'user', user: { ...userToWire(user, ctx.sessions), online: true } }, except);
  for (const conversation of ctx.registry.conversationsOf(user.id)) {
    if (conversation.kind !== 'default') continue;
    const wire = conversationToWire(conversation, ctx.registry, ctx.log.lastSeq(conversation.id));
    ctx.fanout.toMembers(conversation, { type: 'conversation', conversation: wire }, except);
  }
}
