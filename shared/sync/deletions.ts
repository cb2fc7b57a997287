import type { MessageWire } from '../protocol';

/**
 * A deletion (PROTOCOL.md 7.5) sits in the timeline like a message, so seqs stay contiguous, but it is not one:
 * never shown, never notified, never unread. The message it deleted stays, with no text, `deleted`.
 */
export function isDeletion(m: MessageWire): boolean {
  return m.deletes !== undefined;
}

/** The newest entry that is a message (deleted or not), for a conversation's preview. */
export function lastMessage(messages: readonly MessageWire[]): MessageWire | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (!isDeletion(messages[i]!)) return messages[i];
  return undefined;
}

/** What a deleted message says in its place. */
export const DELETED_MESSAGE_TEXT = 'Message deleted';
