import { describe, expect, it } from 'vitest';
import {
  EMPTY_TIMELINE,
  acceptBufferedGap,
  applyBackwardPage,
  applyForwardPage,
  applyLive,
  hasOlder,
  timelineFromStored,
  truncateAfter,
  type Timeline,
} from './conversationTimeline';
import { msg, msgs } from './testing/fixtures';

const seqs = (t: Timeline) => t.messages.map((m) => m.seq);
const live = (t: Timeline, ...seqList: number[]) => seqList.reduce((acc, s) => applyLive(acc, msg(s)).timeline, t);

describe('conversationTimeline', () => {
  it('appends live messages in order and ignores ones it has', () => {
    const t = live(EMPTY_TIMELINE, 1, 2, 2, 1, 3);
    expect(seqs(t)).toEqual([1, 2, 3]);
    expect(t.cursor).toBe(3);
    const again = applyLive(t, msg(2));
    expect(again.timeline).toBe(t);
    expect(again.added).toEqual([]);
  });

  it('buffers a message beyond a gap and releases it, in order, once the gap is filled', () => {
    let t = live(EMPTY_TIMELINE, 1, 2);
    const ahead = applyLive(t, msg(5));
    expect(ahead.added).toEqual([]);
    t = live(ahead.timeline, 4);
    expect(seqs(t)).toEqual([1, 2]);
    expect(t.buffered.map((m) => m.seq)).toEqual([4, 5]);
    const filled = applyLive(t, msg(3));
    expect(filled.added.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(seqs(filled.timeline)).toEqual([1, 2, 3, 4, 5]);
    expect(filled.timeline.cursor).toBe(5);
    expect(filled.timeline.buffered).toEqual([]);
  });

  it('merges a forward page with live messages that arrived during catch-up, each message once', () => {
    // Catch-up from 2 is under way; 7 and 8 arrive live before the page does.
    let t = live(EMPTY_TIMELINE, 1, 2, 7, 8);
    const page = applyForwardPage(t, 2, msgs(3, 7));
    t = page.timeline;
    expect(page.added.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(seqs(t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.cursor).toBe(8);
    // A late duplicate page changes nothing.
    expect(applyForwardPage(t, 2, msgs(3, 7)).added).toEqual([]);
  });

  it('moves the cursor across seqs a forward page proves absent', () => {
    const t = applyForwardPage(EMPTY_TIMELINE, 0, [msg(1), msg(2), msg(5)]).timeline;
    expect(t.cursor).toBe(5);
    expect(applyLive(t, msg(6)).timeline.cursor).toBe(6);
  });

  it('refuses a forward page that starts beyond the cursor (it would leave a gap)', () => {
    const t = live(EMPTY_TIMELINE, 1);
    expect(applyForwardPage(t, 5, msgs(6, 8)).timeline).toBe(t);
  });

  it("takes an empty timeline's first backward page as the initial window, its last seq as the cursor", () => {
    const buffered = applyLive(EMPTY_TIMELINE, msg(1001)).timeline;
    const { timeline, added } = applyBackwardPage(buffered, 1001, msgs(951, 1000), true);
    expect(added).toHaveLength(51);
    expect(seqs(timeline)).toEqual([...msgs(951, 1001)].map((m) => m.seq));
    expect(timeline.cursor).toBe(1001);
    expect(timeline.reachedStart).toBe(false);
    expect(hasOlder(timeline)).toBe(true);
    // The announced lastSeq was 1002, still being written: it must not count as held.
    const early = applyBackwardPage(EMPTY_TIMELINE, 1003, msgs(951, 1000), true).timeline;
    expect(early.cursor).toBe(1000);
    expect(applyLive(early, msg(1001)).added).toHaveLength(1);
  });

  it('marks an empty conversation as complete', () => {
    const t = applyBackwardPage(EMPTY_TIMELINE, 1, [], false).timeline;
    expect(t.reachedStart).toBe(true);
    expect(hasOlder(t)).toBe(false);
  });

  it("forgets messages beyond a restored hub's lastSeq", () => {
    const t = applyLive(live(EMPTY_TIMELINE, 1, 2, 3, 4), msg(9)).timeline;
    const { timeline } = truncateAfter(t, 2);
    expect(seqs(timeline)).toEqual([1, 2]);
    expect(timeline.cursor).toBe(2);
    expect(timeline.buffered).toEqual([]);
    expect(applyLive(timeline, msg(3, { text: 'new three' })).timeline.messages[2]!.text).toBe('new three');
    const whole = live(EMPTY_TIMELINE, 1, 2);
    expect(truncateAfter(whole, 5).timeline).toBe(whole);
  });

  it('prepends older pages and knows when the start is reached', () => {
    const t = live(timelineFromStored(msgs(51, 100), 100, false), 101);
    const older = applyBackwardPage(t, 51, msgs(1, 50), false);
    expect(older.added.map((m) => m.seq)).toEqual(msgs(1, 50).map((m) => m.seq));
    expect(seqs(older.timeline)).toEqual(msgs(1, 101).map((m) => m.seq));
    expect(older.timeline.reachedStart).toBe(true);
    // A page that does not reach down from the oldest message would leave a gap.
    expect(applyBackwardPage(t, 40, msgs(1, 39), true).timeline).toBe(t);
  });

  it('shows a message the hub stored twice under different seqs once (same user and clientMsgId)', () => {
    const t = applyForwardPage(EMPTY_TIMELINE, 0, [
      msg(1, { clientMsgId: 'same-id-1' }),
      msg(2, { clientMsgId: 'same-id-1' }),
      msg(3),
    ]).timeline;
    expect(seqs(t)).toEqual([1, 3]);
    expect(t.cursor).toBe(3);
  });

  it('can give up on a gap the hub cannot fill', () => {
    const t = live(EMPTY_TIMELINE, 1, 4, 5);
    const { timeline, added } = acceptBufferedGap(t);
    expect(added.map((m) => m.seq)).toEqual([4, 5]);
    expect(timeline.cursor).toBe(5);
    expect(timeline.buffered).toEqual([]);
  });

  it('never holds a duplicate or an out-of-order message, whatever order pages and live messages come in', () => {
    // Deterministic pseudo-random interleavings of live pushes and forward pages over seqs 1..60.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 40; round++) {
      let t = EMPTY_TIMELINE;
      for (let step = 0; step < 60; step++) {
        if (rand() < 0.6) t = applyLive(t, msg(1 + Math.floor(rand() * 60))).timeline;
        else {
          const after = Math.floor(rand() * (t.cursor + 1));
          const count = 1 + Math.floor(rand() * 10);
          t = applyForwardPage(t, after, msgs(after + 1, Math.min(60, after + count))).timeline;
        }
        const s = seqs(t);
        expect(s).toEqual(s.map((_, i) => i + 1));
        expect(t.cursor).toBe(s.length);
        expect(t.buffered.every((m) => m.seq > t.cursor + 1)).toBe(true);
      }
    }
  });

  it('a deletion empties the message it deleted, live, from a page or once a gap before it is filled', () => {
    const deletion = (seq: number, target: number) => msg(seq, { text: '', deletes: target, senderUserId: 'hub' });
    const t = live(EMPTY_TIMELINE, 1, 2, 3);
    const pushed = applyLive(t, deletion(4, 2));
    expect(pushed.added.map((m) => m.seq)).toEqual([4]);
    expect(pushed.timeline.messages.map((m) => [m.seq, m.text, m.deleted ?? false])).toEqual([
      [1, msg(1).text, false],
      [2, '', true],
      [3, msg(3).text, false],
      [4, '', false],
    ]);
    const paged = applyForwardPage(t, 3, [msg(4), deletion(5, 1)]).timeline;
    expect(paged.messages[0]).toMatchObject({ seq: 1, text: '', deleted: true });
    // Beyond a gap it waits, like any message, and applies when it joins.
    const waiting = applyLive(t, deletion(5, 3)).timeline;
    expect(waiting.messages[2]?.deleted).toBeUndefined();
    expect(applyLive(waiting, msg(4)).timeline.messages[2]).toMatchObject({ seq: 3, text: '', deleted: true });
  });
});
