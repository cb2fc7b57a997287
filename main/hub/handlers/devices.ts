import { CloseCode, ErrorCode, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { deviceToWire } from '../wireMapping';
import { answerOk, requireOwnDevice } from './guards';
import { leaveSession, pushDeviceList } from './session';

export function handleCreateLinkCode(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'createLinkCode'>): void {
  const { code, expiresAt } = ctx.gate.createLinkCode(conn.userId, conn.deviceId);
  conn.send({ type: 'linkCode', rid: frame.rid, code, expiresAt });
}

export function handleListDevices(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'listDevices'>): void {
  const devices = ctx.registry.devicesOf(conn.userId).map((d) => deviceToWire(d, ctx.sessions));
  conn.send({ type: 'devices', rid: frame.rid, devices });
}

export async function handleRenameDevice(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'renameDevice'>,
): Promise<void> {
  requireOwnDevice(ctx, conn, frame.deviceId);
  await ctx.registry.renameDevice(frame.deviceId, frame.name);
  pushDeviceList(ctx, conn.userId);
  ctx.sessions.deviceUpdated(frame.deviceId);
  answerOk(conn, frame.rid);
}

export async function handleRemoveDevice(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'removeDevice'>,
): Promise<void> {
  requireOwnDevice(ctx, conn, frame.deviceId);
  if (frame.deviceId !== conn.deviceId) {
    await revokeDevice(ctx, frame.deviceId);
    answerOk(conn, frame.rid);
    return;
  }
  // A device removing itself hears the answer on its own connection, which then closes with DEVICE_REVOKED.
  try {
    await revokeDevice(ctx, frame.deviceId, conn);
    answerOk(conn, frame.rid);
  } catch (err) {
    // Answered here, not by dispatch: the connection closes right after, and its device is cut off either way.
    if (!(err instanceof HubError)) ctx.logger.error('failed to handle "removeDevice"', err);
    const { code, message } =
      err instanceof HubError ? err : { code: ErrorCode.INTERNAL, message: 'The hub failed to handle this request.' };
    conn.send({ type: 'error', rid: frame.rid, code, message, frameType: frame.type });
  }
  conn.close(CloseCode.DEVICE_REVOKED, 'device removed');
}

/**
 * Cuts a device off at once: its token stops working before the registry is
 * written, and its open connections (but `answering`, left to its caller) are
 * closed with DEVICE_REVOKED. Resolves once the removal is on disk. If it
 * cannot be written, rejects with STORAGE_FAILED, and the device stays cut
 * off while the hub runs (the registry keeps retrying the write): a removal is
 * never reported done before it would survive a restart.
 */
export async function revokeDevice(ctx: HubContext, deviceId: string, answering?: Connection): Promise<boolean> {
  const device = ctx.registry.device(deviceId);
  if (!device) return false;
  const saved = ctx.registry.removeDevice(deviceId);
  // Link codes it made could otherwise still add a device after it is gone.
  ctx.gate.forgetLinkCodesOfDevice(deviceId);
  // Its uploads and downloads end now, not when their sessions would expire.
  ctx.fileTickets.dropDevice(deviceId);
  ctx.fileSessions.dropDevice(deviceId);
  const open = [...ctx.sessions.ofDevice(deviceId)];
  for (const conn of open) {
    leaveSession(ctx, conn);
    if (conn !== answering) conn.close(CloseCode.DEVICE_REVOKED, 'device removed');
  }
  try {
    await saved;
  } catch (err) {
    ctx.logger.error(
      `could not write the removal of device "${device.name}"; it stays cut off while the hub runs`,
      err,
    );
    throw new HubError(
      ErrorCode.STORAGE_FAILED,
      'The device is cut off, but the hub could not yet write its removal to disk (disk full or failing) ' +
        'and keeps trying; until it succeeds, a restart of the hub would let the device back in. ' +
        "Free space on the hub's disk.",
    );
  } finally {
    // leaveSession already told the user's other devices when it was online.
    if (open.length === 0) pushDeviceList(ctx, device.userId);
  }
  ctx.logger.info(`removed device "${device.name}"`);
  return true;
}
