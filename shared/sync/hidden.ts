import type { MessageWire } from '../protocol';

/**
 * Messages the own user does not see: those of users they block (PROTOCOL.md 11.7). The hub does
 * not push them, but pages hold them (so seqs stay contiguous), and the cache may hold them from
 * before the block; the client keeps them in the timeline, hides them, and never counts them unread.
 * Unblocking shows them again.
 */

const NO_ONE: ReadonlySet<string> = new Set();
const sets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The senders whose messages are hidden, as a set; one per block list, so asking often costs nothing. */
export function hiddenSenders(state: { readonly blockedUserIds: readonly string[] }): ReadonlySet<string> {
  const list = state.blockedUserIds;
  if (list.length === 0) return NO_ONE;
  let set = sets.get(list);
  if (!set) sets.set(list, (set = new Set(list)));
  return set;
}

export function isHiddenMessage(state: { readonly blockedUserIds: readonly string[] }, m: MessageWire): boolean {
  return hiddenSenders(state).has(m.senderUserId);
}

/** The messages to show, in order; the same array when none is hidden. */
export function visibleMessages(
  state: { readonly blockedUserIds: readonly string[] },
  messages: readonly MessageWire[],
): readonly MessageWire[] {
  const hidden = hiddenSenders(state);
  if (hidden.size === 0 || !messages.some((m) => hidden.has(m.senderUserId))) return messages;
  return messages.filter((m) => !hidden.has(m.senderUserId));
}
