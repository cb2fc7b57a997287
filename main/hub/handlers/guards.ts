import { ErrorCode } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import type { ConversationRecord, DeviceRecord } from '../registry/registrySchema';

/** The conversation, if it exists and the connection's user is in it. */
export function requireMember(ctx: HubContext, conn: Connection, conversationId: string): ConversationRecord {
  const conversation = ctx.registry.conversation(conversationId);
  if (!conversation) throw new HubError(ErrorCode.NOT_FOUND, `No conversation "${conversationId}".`);
  if (!ctx.registry.isMember(conversation, conn.userId)) {
    throw new HubError(ErrorCode.NOT_A_MEMBER, `You are not a member of conversation "${conversationId}".`);
  }
  return conversation;
}

/** One of the caller's own devices. Other users' devices read as not found, so ids do not leak. */
export function requireOwnDevice(ctx: HubContext, conn: Connection, deviceId: string): DeviceRecord {
  const device = ctx.registry.device(deviceId);
  if (!device || device.userId !== conn.userId)
    throw new HubError(ErrorCode.NOT_FOUND, `No device "${deviceId}" of yours.`);
  return device;
}

export function requireUsers(ctx: HubContext, userIds: string[]): void {
  // A removed user (11.8) cannot be added to a room or written to directly: to the protocol they are gone.
  const missing = userIds.find((id) => !ctx.registry.activeUser(id));
  if (missing) throw new HubError(ErrorCode.NOT_FOUND, `No user "${missing}".`);
}

/** Sends `ok` when the request carried a rid; fire-and-forget requests get no answer. */
export function answerOk(conn: Connection, rid: string | undefined): void {
  if (rid !== undefined) conn.send({ type: 'ok', rid });
}
