import { CloseCode, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
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
  const removingSelf = frame.deviceId === conn.deviceId;
  // A device removing itself is answered first: its connection closes next, with DEVICE_REVOKED.
  if (removingSelf) answerOk(conn, frame.rid);
  await revokeDevice(ctx, frame.deviceId);
  if (!removingSelf) answerOk(conn, frame.rid);
}

/**
 * Cuts a device off at once: its token stops working before the registry is
 * written, and its open connections are closed with DEVICE_REVOKED.
 */
export async function revokeDevice(ctx: HubContext, deviceId: string): Promise<boolean> {
  const device = ctx.registry.device(deviceId);
  if (!device) return false;
  const saved = ctx.registry.removeDevice(deviceId);
  // Link codes it made could otherwise still add a device after it is gone.
  ctx.gate.forgetLinkCodesOfDevice(deviceId);
  const open = [...ctx.sessions.ofDevice(deviceId)];
  for (const conn of open) {
    leaveSession(ctx, conn);
    conn.close(CloseCode.DEVICE_REVOKED, 'device removed');
  }
  await saved;
  // leaveSession already told the user's other devices when it was online.
  if (open.length === 0) pushDeviceList(ctx, device.userId);
  ctx.logger.info(`removed device "${device.name}"`);
  return true;
}
