import { ErrorCode, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import type { ConversationRecord } from '../registry/registrySchema';
import { conversationToWire } from '../wireMapping';
import { requireMember, requireUsers } from './guards';

export async function handleCreateGroup(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'createGroup'>,
): Promise<void> {
  requireUsers(ctx, frame.memberUserIds);
  const others = [...new Set(frame.memberUserIds)].filter((id) => id !== conn.userId);
  refuseIfBlocked(ctx, conn, others);
  // Checked whole, and spent, before anything is made: a refused request costs nothing and makes nothing.
  ctx.rooms.createRoom(conn.userId, others.length, ctx.now());
  const conversation = await ctx.registry.createGroup({
    name: frame.name,
    createdBy: conn.userId,
    memberUserIds: frame.memberUserIds,
  });
  announce(ctx, conn, conversation, frame.rid);
}

export async function handleAddMembers(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'addMembers'>,
): Promise<void> {
  const conversation = requireMember(ctx, conn, frame.conversationId);
  if (conversation.kind !== 'group') {
    throw new HubError(
      ErrorCode.FORBIDDEN,
      `Members can only be added to group rooms; "${conversation.id}" is ${conversation.kind}.`,
    );
  }
  requireUsers(ctx, frame.userIds);
  const added = [...new Set(frame.userIds)].filter((id) => !conversation.memberUserIds.includes(id));
  refuseIfBlocked(ctx, conn, added);
  // Nobody new: nothing to store or tell, so repeating it cannot flood the members with pushes.
  if (added.length === 0) {
    conn.send({ type: 'conversation', rid: frame.rid, conversation: wire(ctx, conversation) });
    return;
  }
  ctx.rooms.addMembers(conn.userId, added.length, ctx.now());
  const saved = ctx.registry.addMembers(conversation, added);
  // New members hear of the room before any message of it can be pushed to them.
  const conversationWire = wire(ctx, conversation);
  ctx.fanout.toMembers(conversation, { type: 'conversation', conversation: conversationWire }, conn);
  await saved;
  conn.send({ type: 'conversation', rid: frame.rid, conversation: conversationWire });
}

export async function handleOpenDirect(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'openDirect'>,
): Promise<void> {
  if (frame.userId === conn.userId)
    throw new HubError(ErrorCode.FORBIDDEN, 'A direct conversation needs another user.');
  requireUsers(ctx, [frame.userId]);
  refuseIfBlocked(ctx, conn, [frame.userId]);
  const { conversation, created } = await ctx.registry.openDirect(conn.userId, frame.userId);
  if (created) return announce(ctx, conn, conversation, frame.rid);
  conn.send({ type: 'conversation', rid: frame.rid, conversation: wire(ctx, conversation) });
}

/**
 * Takes the user out of a group room (PROTOCOL.md 11.6). The default room has everyone in it, and a
 * direct conversation is the pair's for good: blocking is what ends one.
 */
export async function handleLeaveConversation(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'leaveConversation'>,
): Promise<void> {
  const conversation = requireMember(ctx, conn, frame.conversationId);
  if (conversation.kind === 'default')
    throw new HubError(ErrorCode.FORBIDDEN, 'Everyone is in General: it cannot be left.');
  if (conversation.kind === 'direct') {
    throw new HubError(
      ErrorCode.FORBIDDEN,
      'A direct conversation cannot be left. Block the person to stop seeing their messages.',
    );
  }
  // Out of the room before anything else happens: from here on, nothing of it is pushed to the user.
  const saved = ctx.registry.leaveGroup(conversation, conn.userId);
  const left = { type: 'conversationLeft', conversationId: conversation.id } as const;
  ctx.fanout.toUser(conn.userId, left, conn);
  ctx.fanout.toMembers(conversation, { type: 'conversation', conversation: wire(ctx, conversation) });
  try {
    await saved;
  } catch (err) {
    ctx.logger.error(`could not write that a user left room "${conversation.id}"; retrying`, err);
    // Left all the same, on every device: the hub keeps retrying the write.
    conn.send(left);
    throw new HubError(
      ErrorCode.STORAGE_FAILED,
      'You left the room, but the hub could not save that (disk full or failing). It keeps trying; ' +
        'if the hub restarts first, the room comes back and you can leave it again.',
    );
  }
  conn.send({ ...left, rid: frame.rid });
}

/** Refuses the whole request if one of these users blocks the requester (PROTOCOL.md 11.7). */
function refuseIfBlocked(ctx: HubContext, conn: Connection, userIds: readonly string[]): void {
  const blocker = userIds.find((id) => ctx.registry.blocks(id, conn.userId));
  if (blocker === undefined) return;
  const name = ctx.registry.user(blocker)?.displayName ?? 'This person';
  throw new HubError(
    ErrorCode.BLOCKED_BY_USER,
    `${name} does not accept direct conversations or room invitations from you.`,
  );
}

/** The requester gets the answer to its request; every other member device gets the news. */
function announce(ctx: HubContext, conn: Connection, conversation: ConversationRecord, rid: string | undefined): void {
  const conversationWire = wire(ctx, conversation);
  conn.send({ type: 'conversation', rid, conversation: conversationWire });
  ctx.fanout.toMembers(conversation, { type: 'conversation', conversation: conversationWire }, conn);
}

function wire(ctx: HubContext, conversation: ConversationRecord) {
  return conversationToWire(conversation, ctx.registry, ctx.log.lastSeq(conversation.id));
}
