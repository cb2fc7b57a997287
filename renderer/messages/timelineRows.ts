import type { MessageWire } from '../../shared/protocol';
import { isDeletion, type OutboxEntry } from '../../shared/sync';
import { startOfDay, startOfNextDay } from '../ui/time';

/**
 * The rows of a message list: one per message, the hub's first and then
 * this device's unsent ones. Day separators and the "new messages" line live
 * inside rows, at the bottom of the row before them, so every row is keyed
 * by its message and only ever grows at its bottom. That keeps the message
 * on screen in place when older history is prepended: the virtualizer
 * anchors to a row's key and start, and a separator at the top of a row
 * would leave it when older messages of the same day arrive. Only the first
 * row carries markers above it (`dayBefore`, `unreadBefore`), to be shown
 * once nothing older remains to be loaded.
 *
 * Pure, so it is tested without a DOM; linear in the loaded messages.
 */
type RowBase = {
  key: string | number;
  /** A new group: show the sender's name (and avatar) again. */
  startsGroup: boolean;
  /** First row only: the day separator above it (the time of its day). */
  dayBefore: number | undefined;
  /** First row only: the "new messages" line above it. */
  unreadBefore: boolean;
  /** A day separator below this row, for the next row's day (the time of that day). */
  dayAfter: number | undefined;
  /** The "new messages" line below this row. */
  unreadAfter: boolean;
};

export type Row =
  | (RowBase & { kind: 'message'; message: MessageWire; own: boolean })
  | (RowBase & { kind: 'pending'; entry: OutboxEntry });

export type RowOptions = {
  selfUserId: string | undefined;
  selfDeviceId: string | undefined;
  /** Messages above this seq from others are new: a line is drawn above the first. Undefined: no line. */
  unreadAfterSeq: number | undefined;
};

/**
 * Own messages among this many newest get a key from their clientMsgId (the
 * one they had while pending); older ones are keyed by seq, so the check for
 * duplicate keys stays small.
 */
const CLIENT_KEY_TAIL = 512;

/** Consecutive messages of one sender within this span form one group (one name and avatar). */
export const GROUP_GAP_MS = 5 * 60 * 1000;

export function buildRows(
  messages: readonly MessageWire[],
  pending: readonly OutboxEntry[],
  options: RowOptions,
): Row[] {
  const rows: Row[] = [];
  const ownKeys = new Set<string>();
  // The current day ends at nextDayStart: most messages fall in it, and comparing is cheaper than making a Date.
  let nextDayStart = Number.NEGATIVE_INFINITY;
  let lastSender: string | undefined;
  let lastTime = 0;
  let unreadShown = options.unreadAfterSeq === undefined;

  /**
   * The time, if `time` starts a new day. Seqs, not times, order messages: a
   * time before the current day (the hub's clock was set back) stays under
   * the current separator.
   */
  const newDay = (time: number): number | undefined => {
    if (time < nextDayStart) return undefined;
    nextDayStart = startOfNextDay(startOfDay(time));
    return time;
  };

  const startsGroup = (time: number, sender: string | undefined, separated: boolean): boolean => {
    const starts = separated || sender !== lastSender || time - lastTime > GROUP_GAP_MS;
    lastSender = sender;
    lastTime = time;
    return starts;
  };

  /** Moves the row's markers to the bottom of the row before it, if there is one. */
  const push = (row: Row) => {
    const previous = rows.at(-1);
    if (previous) {
      previous.dayAfter = row.dayBefore;
      previous.unreadAfter = row.unreadBefore;
      row.dayBefore = undefined;
      row.unreadBefore = false;
    }
    rows.push(row);
  };

  const tailFrom = messages.length - CLIENT_KEY_TAIL;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    // A deletion is no message: the one it deleted shows as deleted in its own place (PROTOCOL.md 7.5).
    if (isDeletion(message)) continue;
    const own = message.senderUserId === options.selfUserId;
    const dayBefore = newDay(message.sentAt);
    const unreadBefore = !unreadShown && !own && message.seq > options.unreadAfterSeq!;
    if (unreadBefore) unreadShown = true;
    // This device's recent messages keep one key from pending to sent,
    // so the row stays put when the hub acknowledges it.
    let key: string | number = message.seq;
    if (i >= tailFrom && message.senderDeviceId === options.selfDeviceId) {
      const clientKey = `c${message.clientMsgId}`;
      if (!ownKeys.has(clientKey)) {
        ownKeys.add(clientKey);
        key = clientKey;
      }
    }
    const group = startsGroup(message.sentAt, message.senderUserId, dayBefore !== undefined || unreadBefore);
    push({
      kind: 'message',
      key,
      message,
      own,
      startsGroup: group,
      dayBefore,
      unreadBefore,
      dayAfter: undefined,
      unreadAfter: false,
    });
  }
  for (const entry of pending) {
    const key = `c${entry.clientMsgId}`;
    if (ownKeys.has(key)) continue;
    const dayBefore = newDay(entry.createdAt);
    const group = startsGroup(entry.createdAt, options.selfUserId, dayBefore !== undefined);
    push({
      kind: 'pending',
      key,
      entry,
      startsGroup: group,
      dayBefore,
      unreadBefore: false,
      dayAfter: undefined,
      unreadAfter: false,
    });
  }
  return rows;
}
