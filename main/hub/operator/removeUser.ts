import { ErrorCode } from '../../../shared/protocol';
import { DEFAULT_CONVERSATION_ID } from '../registry/registrySchema';
import type { UserRecord } from '../registry/registrySchema';
import { revokeDevice } from '../handlers/devices';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { conversationToWire, userToWire } from '../wireMapping';

/**
 * Removes a user for good (PROTOCOL.md 11.8). In one synchronous step: every device is cut off (its
 * connections closed with 4003, its link codes dead), the user marked removed and taken out of every group
 * room; then everyone hears it: `user` with `removed`, and `conversation` for each room whose members
 * changed. Resolves once all of it is on disk; rejects with STORAGE_FAILED if it could not be written (the
 * user stays removed while the hub runs, and the registry keeps retrying).
 */
export async function removeUser(ctx: HubContext, user: UserRecord): Promise<void> {
  const { registry } = ctx;
  const revoked = registry.devicesOf(user.id).map((device) => revokeDevice(ctx, device.id));
  const removal = registry.markUserRemoved(user.id);
  if (!removal) return;
  ctx.fanout.toAll({ type: 'user', user: userToWire(user, ctx.sessions) });
  const general = registry.conversation(DEFAULT_CONVERSATION_ID);
  for (const conversation of general ? [general, ...removal.left] : removal.left) {
    const wire = conversationToWire(conversation, registry, ctx.log.lastSeq(conversation.id));
    ctx.fanout.toMembers(conversation, { type: 'conversation', conversation: wire });
  }
  const results = await Promise.allSettled([removal.saved, ...revoked]);
  if (results.some((r) => r.status === 'rejected'))
    throw new HubError(
      ErrorCode.STORAGE_FAILED,
      `${user.displayName} is cut off and removed while the hub runs, but the hub could not yet write it to ` +
        'disk (disk full or failing) and keeps trying; a restart before it succeeds would undo it. ' +
        "Free space on the hub's disk.",
    );
  ctx.logger.info(`removed user "${user.displayName}"`);
}
