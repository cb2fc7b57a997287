import { ErrorCode, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { errorMessage } from '../log/errors';
import { LogError, LogErrorCode, StorageError } from '../log/MessageLog';
import type { DeletionDraft, StoredMessage } from '../log/MessageLog';
import type { ConversationRecord } from '../registry/registrySchema';
import { newId } from '../secrets';
import { messageToWire } from '../wireMapping';
import { releaseAttachments } from './files';
import { answerOk, requireMember } from './guards';
import { storageRefusal } from './messaging';

/** The deletion stands (recorded, pushed), but the message's text is still on the hub's disk. */
export class NotErasedError extends Error {
  constructor(cause: unknown) {
    super(errorMessage(cause), { cause });
    this.name = 'NotErasedError';
  }
}

/**
 * Deletes a message for everyone (PROTOCOL.md 7.5), for its sender or the hub's owner alike: the deletion record,
 * sent by `by`, is pushed once durable to every member's ready connections like a message (those offline get it
 * when they catch up), then the text is erased from the hub's files before this resolves. A message deleted before
 * is erased again, not recorded twice (`record` undefined). Rejects with the log's refusals as they are (LogError,
 * StorageError), each caller wording them for whoever asked, and with NotErasedError if only the erasing failed.
 */
export async function deleteForEveryone(
  ctx: HubContext,
  conversation: ConversationRecord,
  seq: number,
  by: DeletionDraft,
): Promise<{ record: StoredMessage | undefined; target: StoredMessage }> {
  const { record, target, attachments, erased } = await ctx.log.delete(conversation.id, seq, by);
  if (record) ctx.fanout.toMembers(conversation, { type: 'message', message: messageToWire(conversation.id, record) });
  await releaseAttachments(ctx, conversation.id, target, attachments);
  try {
    await erased;
  } catch (err) {
    ctx.logger.error(`could not erase message ${seq} of ${conversation.id} from disk`, err);
    throw new NotErasedError(err);
  }
  ctx.logger.info(`deleted message ${seq} of conversation ${conversation.id}`);
  return { record, target };
}

/**
 * A member deletes one of their own messages, sent from any of their devices. The deletion is recorded as sent by
 * them (user and device), so the log itself says who deleted it; the owner's audit log does not, as it records
 * only what the owner does. `ok` comes after the deletion was pushed, this connection included.
 */
export async function handleDeleteMessage(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'deleteMessage'>,
): Promise<void> {
  const conversation = requireMember(ctx, conn, frame.conversationId);
  const target = await storedMessage(ctx, conversation.id, frame.seq);
  if (target.senderUserId !== conn.userId)
    throw new HubError(ErrorCode.FORBIDDEN, 'Only its sender can delete a message for everyone.');
  try {
    await deleteForEveryone(ctx, conversation, target.seq, {
      clientMsgId: newId(),
      senderUserId: conn.userId,
      senderDeviceId: conn.deviceId,
    });
  } catch (err) {
    throw refusal(ctx, err, frame.seq, conversation.id);
  }
  answerOk(conn, frame.rid);
}

/** The message at `seq`, deleted or not; NOT_FOUND if there is none, or that seq is a deletion. */
async function storedMessage(ctx: HubContext, conversationId: string, seq: number): Promise<StoredMessage> {
  if (seq < 1) throw notFound(seq, conversationId);
  let page;
  try {
    page = await ctx.log.readForward(conversationId, seq - 1, 1);
  } catch (err) {
    throw storageRefusal(ctx, err);
  }
  const message = page.messages[0];
  if (message?.seq !== seq || message.deletes !== undefined) throw notFound(seq, conversationId);
  return message;
}

/** The log's refusals as a device hears them: no file names or disk errors, which are the owner's to read. */
function refusal(ctx: HubContext, err: unknown, seq: number, conversationId: string): unknown {
  if (err instanceof LogError && err.code === LogErrorCode.notFound) return notFound(seq, conversationId);
  if (err instanceof NotErasedError)
    return new HubError(
      ErrorCode.STORAGE_FAILED,
      'It is gone from every device, but the hub could not yet erase its text from its disk: delete it again later.',
    );
  if (err instanceof StorageError) {
    ctx.logger.error('could not store a deletion', err);
    return new HubError(
      ErrorCode.STORAGE_FAILED,
      'The hub could not store the deletion (disk full or failing); nothing was deleted. Try again later.',
    );
  }
  return storageRefusal(ctx, err);
}

function notFound(seq: number, conversationId: string): HubError {
  return new HubError(ErrorCode.NOT_FOUND, `Conversation "${conversationId}" has no message ${seq} to delete.`);
}
