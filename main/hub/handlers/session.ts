import {
  CloseCode,
  ErrorCode,
  IncompatibleReason,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type ClientFrameOf,
} from '../../../shared/protocol';
import type { Connection } from '../Connection';
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
  conn.greet();
  conn.send({ type: 'welcome', rid: frame.rid, hub: ctx.info(), serverTime: ctx.now() });
}

export async function handlePair(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'pair'>): Promise<void> {
  conn.startPairing();
  let admitted: Admitted;
  try {
    admitted = await admit(ctx, conn, frame);
  } catch (err) {
    conn.refusePairing();
    throw err;
  }
  const { user, created, device, token } = admitted;
  ctx.logger.info(`paired device "${device.name}" (${device.platform}) for user "${user.displayName}"`);
  if (conn.state === 'closed') {
    // The connection died while we paired it: nobody holds this token, and nobody knows this user.
    await ctx.registry.removeDevice(device.id);
    if (created) await ctx.registry.removeUser(user.id);
    return;
  }
  conn.send({ type: 'paired', rid: frame.rid, userId: user.id, deviceId: device.id, token });
  // Others learn who the user is before they see the user come online.
  if (created) announceNewUser(ctx, user, conn);
  enterSession(ctx, conn, device);
}

type Admitted = { user: UserRecord; created: boolean; device: DeviceRecord; token: string };

/** Checks the credential, finds or creates the user the new device belongs to, and stores the device. */
async function admit(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'pair'>): Promise<Admitted> {
  const { user, created } = await admitUser(ctx, conn, frame.credential);
  const { device, token } = await ctx.registry.addDevice({
    userId: user.id,
    name: frame.device.name,
    platform: frame.device.platform,
  });
  // The owner may have removed the user while the device was being stored (11.8): it must not get in.
  if (!ctx.registry.activeUser(user.id)) {
    await ctx.registry.removeDevice(device.id);
    throw removedUserRefusal();
  }
  return { user, created, device, token };
}

async function admitUser(
  ctx: HubContext,
  conn: Connection,
  credential: ClientFrameOf<'pair'>['credential'],
): Promise<{ user: UserRecord; created: boolean }> {
  switch (credential.kind) {
    case 'code':
      ctx.gate.consumeCode(credential.code, conn.address);
      return { user: await ctx.registry.createUser(credential.displayName), created: true };
    case 'joinToken':
      ctx.gate.consumeJoinToken(credential.token, conn.address);
      return { user: await ctx.registry.createUser(credential.displayName), created: true };
    case 'linkCode': {
      const userId = ctx.gate.consumeLinkCode(credential.code, conn.address);
      const user = ctx.registry.activeUser(userId);
      if (!user) throw removedUserRefusal();
      return { user, created: false };
    }
  }
}

function removedUserRefusal(): HubError {
  return new HubError(
    ErrorCode.LINK_CODE_INVALID,
    'The user this link code was made for was removed from the hub. Pair with a pairing code or a join link.',
  );
}

export function handleAuth(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'auth'>): void {
  const device = ctx.registry.authenticate(frame.deviceId, frame.token);
  if (!device) {
    throw new HubError(
      ErrorCode.AUTH_FAILED,
      'This device is not paired with this hub (unknown, removed, or wrong token). Pair it again.',
    );
  }
  enterSession(ctx, conn, device, frame.rid);
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
