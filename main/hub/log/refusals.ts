import { LogCorruptError, errorMessage } from './errors';
import { newSegment } from './segment';

/**
 * What the operator is told about a conversation the log refuses (its files damaged or missing):
 * which file, what is wrong with it, and what to do. One place, so every refusal offers the same
 * repairs.
 */

/** A conversation the log refuses, and the newest seq known to have existed in it. */
export type Refusal = { readonly message: string; knownSeq: number };

/** What the operator reads: which file, what is wrong with it, and what to do. */
export function refusalMessage(id: string, conversationDir: string, err: unknown): string {
  const refused = `conversation ${id} is refused: ${errorMessage(err)}.`;
  if (!(err instanceof LogCorruptError))
    return `${refused} Fix the cause (permissions, a failing disk) and restart the hub.`;
  const restore = `Restore ${conversationDir} from a backup and restart the hub`;
  if (err.offset > 0) {
    return (
      `${refused} ${restore}; or, to keep the messages before byte ${err.offset}, cut the file there ` +
      `(truncate -s ${err.offset} ${err.file}), move away any later .jsonl file beside it, delete the .idx ` +
      `files in ${conversationDir} and restart: devices then drop the messages that were lost.`
    );
  }
  return `${refused} ${restore}; or, to give up its history, ${startOver(conversationDir)}.`;
}

export function missingHistoryMessage(id: string, conversationDir: string, seq: number, evidence: string): string {
  return (
    `conversation ${id} is refused: it had messages up to seq ${seq} (${evidence}), ` +
    `but ${conversationDir} holds none of them. Restore ${conversationDir} from a backup and restart the hub; ` +
    `or, to give up its history, ${startOver(conversationDir)}.`
  );
}

function startOver(conversationDir: string): string {
  return (
    `move ${conversationDir} away, create it again holding one empty file ` +
    `${newSegment(conversationDir, 1).dataPath} and restart: it starts over, and devices drop what they hold of it`
  );
}
