import { deleteForEveryone, NotErasedError } from '../handlers/deletions';
import type { HubContext } from '../HubContext';
import { LogError, LogErrorCode, StorageError } from '../log/MessageLog';
import type { DeletionDraft, StoredMessage } from '../log/MessageLog';
import type { ConversationRecord } from '../registry/registrySchema';
import { OperatorError, OperatorErrorCode } from './operatorProtocol';

/**
 * The owner deletes any message for everyone (PROTOCOL.md 7.5), as its sender can (`deleteForEveryone`); refusals
 * are OperatorErrors that tell the owner what went wrong on their disk.
 */
export async function deleteMessage(
  ctx: HubContext,
  conversation: ConversationRecord,
  seq: number,
  by: DeletionDraft,
): Promise<{ record: StoredMessage | undefined; target: StoredMessage }> {
  try {
    return await deleteForEveryone(ctx, conversation, seq, by);
  } catch (err) {
    throw refusal(err, seq, conversation.id);
  }
}

function refusal(err: unknown, seq: number, conversationId: string): unknown {
  if (err instanceof NotErasedError)
    return new OperatorError(
      OperatorErrorCode.STORAGE_FAILED,
      'The message is deleted for everyone, but the hub could not yet overwrite its text on disk ' +
        `(${err.message}). Delete it again once the disk is healthy.`,
    );
  if (err instanceof LogError && err.code === LogErrorCode.corrupt)
    return new OperatorError(
      OperatorErrorCode.STORAGE_CORRUPT,
      `The history of conversation "${conversationId}" on the hub is damaged: ${err.message}`,
    );
  if (err instanceof LogError && err.code === LogErrorCode.notFound)
    return new OperatorError(OperatorErrorCode.NOT_FOUND, `Conversation "${conversationId}" has no message ${seq}.`);
  if (err instanceof StorageError)
    return new OperatorError(
      OperatorErrorCode.STORAGE_FAILED,
      `The hub could not store the deletion (${err.message}); nothing was deleted. ` +
        'Free space on its disk and try again.',
    );
  return err;
}
