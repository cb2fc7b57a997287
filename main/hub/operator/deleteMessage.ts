import type { HubContext } from '../HubContext';
import { ConversationRefusedError, LogError, LogErrorCode, QuotaError, StorageError } from '../log/MessageLog';
import type { DeletionDraft, StoredMessage } from '../log/MessageLog';
import type { ConversationRecord } from '../registry/registrySchema';
import { messageToWire } from '../wireMapping';
import { OperatorError, OperatorErrorCode } from './operatorProtocol';

/**
 * Deletes a message for everyone (PROTOCOL.md 7.5): the deletion record, once durable, is pushed to every
 * member's ready connections like a message (those offline get it when they catch up), then the text is
 * erased from the hub's files before this resolves. A message deleted before is erased again, not recorded
 * twice.
 */
export async function deleteMessage(
  ctx: HubContext,
  conversation: ConversationRecord,
  seq: number,
  by: DeletionDraft,
): Promise<{ record: StoredMessage | undefined; target: StoredMessage }> {
  let deletion;
  try {
    deletion = await ctx.log.delete(conversation.id, seq, by);
  } catch (err) {
    throw refusal(err, seq, conversation.id);
  }
  const { record, target, erased } = deletion;
  if (record) ctx.fanout.toMembers(conversation, { type: 'message', message: messageToWire(conversation.id, record) });
  try {
    await erased;
  } catch (err) {
    ctx.logger.error(`could not erase message ${seq} of ${conversation.id} from disk`, err);
    throw new OperatorError(
      OperatorErrorCode.STORAGE_FAILED,
      'The message is deleted for everyone, but the hub could not yet overwrite its text on disk ' +
        `(${(err as Error).message}). Delete it again once the disk is healthy.`,
    );
  }
  ctx.logger.info(`deleted message ${seq} of conversation ${conversation.id}`);
  return { record, target };
}

function refusal(err: unknown, seq: number, conversationId: string): unknown {
  if (err instanceof ConversationRefusedError || (err instanceof LogError && err.code === LogErrorCode.corrupt))
    return new OperatorError(
      OperatorErrorCode.STORAGE_CORRUPT,
      `The history of conversation "${conversationId}" on the hub is damaged: ${err.message}`,
    );
  if (err instanceof LogError && err.code === LogErrorCode.notFound)
    return new OperatorError(OperatorErrorCode.NOT_FOUND, `Conversation "${conversationId}" has no message ${seq}.`);
  if (err instanceof StorageError || err instanceof QuotaError)
    return new OperatorError(
      OperatorErrorCode.STORAGE_FAILED,
      `The hub could not store the deletion (${err.message}); nothing was deleted. ` +
        'Free space on its disk and try again.',
    );
  return err;
}
