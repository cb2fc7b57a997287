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
  const saved = ctx.registry.addMembers(conversation, frame.userIds);
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
  const { conversation, created } = await ctx.registry.openDirect(conn.userId, frame.userId);
  if (created) return announce(ctx, conn, conversation, frame.rid);
  conn.send({ type: 'conversation', rid: frame.rid, conversation: wire(ctx, conversation) });
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
