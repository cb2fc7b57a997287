import { ErrorCode, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { requireUsers } from './guards';

/**
 * Blocking (PROTOCOL.md 11.7). Only the blocker's own connections ever hear of it: the blocked
 * user is not told, and learns only when the hub refuses to let them reach the blocker.
 */
export async function handleBlockUser(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'blockUser'>) {
  if (frame.userId === conn.userId) throw new HubError(ErrorCode.FORBIDDEN, 'You cannot block yourself.');
  requireUsers(ctx, [frame.userId]);
  const changed = !ctx.registry.blocks(conn.userId, frame.userId);
  // In effect before the write: the blocked user's next message is already not pushed to the blocker.
  await changeBlocks(ctx, conn, frame.rid, changed, ctx.registry.block(conn.userId, frame.userId));
}

/** Unblocking someone not blocked (or unknown, or removed) changes nothing and is answered all the same. */
export async function handleUnblockUser(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'unblockUser'>) {
  const changed = ctx.registry.blocks(conn.userId, frame.userId);
  await changeBlocks(ctx, conn, frame.rid, changed, ctx.registry.unblock(conn.userId, frame.userId));
}

/** The user's other devices hear of a change at once; the requester gets the list once it is on disk. */
async function changeBlocks(
  ctx: HubContext,
  conn: Connection,
  rid: string | undefined,
  changed: boolean,
  saved: Promise<boolean>,
): Promise<void> {
  const userIds = ctx.registry.blockedBy(conn.userId);
  if (changed) ctx.fanout.toUser(conn.userId, { type: 'blocks', userIds }, conn);
  try {
    await saved;
  } catch (err) {
    ctx.logger.error('could not write a change to a block list; retrying', err);
    conn.send({ type: 'blocks', userIds });
    throw new HubError(
      ErrorCode.STORAGE_FAILED,
      'The change is made, but the hub could not save it (disk full or failing). It keeps trying; ' +
        'if the hub restarts first, the change is lost and you can make it again.',
    );
  }
  conn.send({ type: 'blocks', rid, userIds });
}
