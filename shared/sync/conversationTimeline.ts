import type { MessageWire } from '../protocol';

/**
 * One conversation's messages as the client knows them. Pure functions only:
 * every change returns a new Timeline and the messages it added.
 *
 * Invariant: `messages` is sorted by seq without duplicates and has no gaps
 * from its first message up to `cursor` (a seq the hub never had aside). A
 * message beyond a gap (seq > cursor + 1) waits in `buffered` until the gap
 * is filled, so the UI never shows a hole that fills in later.
 */
export type Timeline = {
  readonly messages: readonly MessageWire[];
  /** Highest seq up to which nothing is missing; 0 before anything is known. */
  readonly cursor: number;
  /** The first message is the conversation's oldest: there is nothing older to load. */
  readonly reachedStart: boolean;
  /** Messages with seq > cursor + 1, ascending, held back until the gap before them is filled. */
  readonly buffered: readonly MessageWire[];
};

export type TimelineChange = {
  readonly timeline: Timeline;
  /** Messages that became part of `messages` (not those only buffered), ascending. */
  readonly added: readonly MessageWire[];
};

export const EMPTY_TIMELINE: Timeline = { messages: [], cursor: 0, reachedStart: false, buffered: [] };

/** How far back a resend with a new seq is looked for (the hub dedupes; this only guards beyond its window). */
const CLIENT_ID_LOOKBACK = 256;

const unchanged = (timeline: Timeline): TimelineChange => ({ timeline, added: [] });

/** Seq of the oldest message held, or where the next older one would end. */
export function oldestSeq(t: Timeline): number {
  return t.messages[0]?.seq ?? t.cursor + 1;
}

/** Whether older messages may exist on the hub or in storage. */
export function hasOlder(t: Timeline): boolean {
  return !t.reachedStart && oldestSeq(t) > 1;
}

export function hasGap(t: Timeline): boolean {
  return t.buffered.length > 0;
}

/** A timeline rebuilt from storage: `messages` ascending and without gaps, ending at or before `cursor`. */
export function timelineFromStored(messages: readonly MessageWire[], cursor: number, reachedStart: boolean): Timeline {
  const kept = sortUnique(messages.filter((m) => m.seq <= cursor));
  return { messages: kept, cursor, reachedStart, buffered: [] };
}

/** A message pushed live (or an own message just acknowledged). */
export function applyLive(t: Timeline, message: MessageWire): TimelineChange {
  if (message.seq <= t.cursor) return unchanged(t);
  if (message.seq > t.cursor + 1) {
    if (t.buffered.some((b) => b.seq === message.seq)) return unchanged(t);
    return unchanged({ ...t, buffered: sortUnique([...t.buffered, message]) });
  }
  return extend(t, [message], t.buffered);
}

/**
 * A `messages` page answering `fetchMessages forward` from `afterSeq`: every
 * message with seq > afterSeq up to the page's last one, so the cursor may
 * move to that last seq even across seqs the hub never had.
 */
export function applyForwardPage(t: Timeline, afterSeq: number, page: readonly MessageWire[]): TimelineChange {
  // A page that starts beyond the cursor does not connect; taking it would leave a gap.
  if (afterSeq > t.cursor) return unchanged(t);
  const fresh = sortUnique(page.filter((m) => m.seq > t.cursor));
  if (fresh.length === 0) return unchanged(t);
  return extend(t, fresh, t.buffered, true);
}

/**
 * A `messages` page answering `fetchMessages backward` from `beforeSeq`: the
 * newest messages with seq < beforeSeq, so it covers everything from its
 * first seq to its last. On an empty timeline it becomes the initial window
 * (tail-first start) and the cursor moves to its last seq: not to
 * beforeSeq - 1, since seqs up to the announced lastSeq may still be on their
 * way to disk and arrive as pushes.
 */
export function applyBackwardPage(
  t: Timeline,
  beforeSeq: number,
  page: readonly MessageWire[],
  hasMore: boolean,
): TimelineChange {
  const sorted = sortUnique(page.filter((m) => m.seq < beforeSeq));
  if (t.messages.length === 0 && t.cursor === 0) {
    const initial: Timeline = { messages: [], cursor: 0, reachedStart: !hasMore, buffered: t.buffered };
    return extend(initial, sorted, t.buffered, true);
  }
  const low = oldestSeq(t);
  // The page must reach down from at least our oldest message, or a gap would open.
  if (beforeSeq < low) return unchanged(t);
  const older = sorted.filter((m) => m.seq < low);
  const timeline: Timeline = { ...t, messages: [...older, ...t.messages], reachedStart: !hasMore };
  return { timeline, added: older };
}

/**
 * The hub's data was restored from an older copy (its lastSeq is below our
 * cursor): forget what lies beyond it, so the seqs it hands out again are taken.
 */
export function truncateAfter(t: Timeline, lastSeq: number): TimelineChange {
  if (t.cursor <= lastSeq && t.buffered.length === 0) return unchanged(t);
  const messages = t.messages.filter((m) => m.seq <= lastSeq);
  return { timeline: { ...t, messages, cursor: Math.min(t.cursor, lastSeq), buffered: [] }, added: [] };
}

/**
 * Gives up on a gap the hub cannot fill (seqs it does not have): the
 * buffered messages join the timeline and the cursor moves past them.
 */
export function acceptBufferedGap(t: Timeline): TimelineChange {
  if (t.buffered.length === 0) return unchanged(t);
  return extend({ ...t, buffered: [] }, t.buffered, [], true);
}

/**
 * Appends `fresh` (ascending, all > t.cursor) then drains `buffered`.
 * `authoritative`: fresh came from a page, so seqs between them are known absent.
 */
function extend(
  t: Timeline,
  fresh: readonly MessageWire[],
  buffered: readonly MessageWire[],
  authoritative = false,
): TimelineChange {
  const messages = [...t.messages];
  const added: MessageWire[] = [];
  let cursor = t.cursor;
  const take = (m: MessageWire) => {
    if (m.seq <= cursor) return;
    cursor = m.seq;
    if (knownClientMsg(messages, m)) return;
    messages.push(m);
    added.push(m);
  };
  for (const m of fresh) {
    if (!authoritative && m.seq !== cursor + 1) break;
    take(m);
  }
  const waiting = buffered.filter((m) => m.seq > cursor);
  while (waiting.length > 0 && waiting[0]!.seq === cursor + 1) take(waiting.shift()!);
  return { timeline: { ...t, messages: applyDeletions(messages, added), cursor, buffered: waiting }, added };
}

/**
 * A deletion (PROTOCOL.md 7.5) that joined the timeline empties the message it deleted, if held: its text is
 * gone, and it shows as deleted. The deletion itself stays in `messages`, so the seqs stay contiguous; it is
 * never shown. A message not held is never shown with its text: the hub sends it deleted from now on.
 */
function applyDeletions(messages: MessageWire[], added: readonly MessageWire[]): MessageWire[] {
  const deleted = new Set<number>();
  for (const m of added) if (m.deletes !== undefined) deleted.add(m.deletes);
  if (deleted.size === 0) return messages;
  return messages.map((m) => (deleted.has(m.seq) && m.deletes === undefined ? deletedMessage(m) : m));
}

/** A message as it reads once deleted: no text, no files, marked. */
export function deletedMessage(m: MessageWire): MessageWire {
  if (m.deleted && m.text === '' && !m.attachments) return m;
  const { attachments: _gone, ...rest } = m;
  return { ...rest, text: '', deleted: true };
}

/** A resend the hub stored twice (beyond its dedup window, which is per user) shows once. */
function knownClientMsg(messages: readonly MessageWire[], m: MessageWire): boolean {
  const stop = Math.max(0, messages.length - CLIENT_ID_LOOKBACK);
  for (let i = messages.length - 1; i >= stop; i--) {
    const other = messages[i]!;
    if (other.clientMsgId === m.clientMsgId && other.senderUserId === m.senderUserId) return true;
  }
  return false;
}

function sortUnique(messages: readonly MessageWire[]): MessageWire[] {
  const sorted = [...messages].sort((a, b) => a.seq - b.seq);
  return sorted.filter((m, i) => i === 0 || sorted[i - 1]!.seq !== m.seq);
}
