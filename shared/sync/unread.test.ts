import { describe, expect, it } from 'vitest';
import { EMPTY_TIMELINE, applyLive, timelineFromStored } from './conversationTimeline';
import { ALICE, ALICE_LAPTOP, msg, msgs } from './testing/fixtures';
import { unreadCount } from './unread';

const mine = (seq: number) => msg(seq, { senderUserId: ALICE, senderDeviceId: ALICE_LAPTOP });

describe('unreadCount', () => {
  it('counts loaded messages after the read mark that others sent', () => {
    const t = timelineFromStored([msg(1), mine(2), msg(3), mine(4), msg(5)], 5, true);
    expect(unreadCount(t, 5, 0, ALICE)).toBe(3);
    expect(unreadCount(t, 5, 3, ALICE)).toBe(1);
    expect(unreadCount(t, 5, 5, ALICE)).toBe(0);
    expect(unreadCount(t, 5, 9, ALICE)).toBe(0);
  });

  it('with nothing loaded is lastSeq - readSeq', () => {
    expect(unreadCount(EMPTY_TIMELINE, 40, 10, ALICE)).toBe(30);
  });

  it('counts messages not loaded yet as unread and subtracts own messages it knows', () => {
    // Loaded 11..20 (two of them Alice's), the hub has up to 30, Alice read up to 5.
    const loaded = [...msgs(11, 20)].map((m) => (m.seq === 12 || m.seq === 19 ? mine(m.seq) : m));
    const t = timelineFromStored(loaded, 20, false);
    // 6..10 unknown (5) + 11..20 others (8) + 21..30 unknown (10)
    expect(unreadCount(t, 30, 5, ALICE)).toBe(23);
    // The spec's shortcut gives the same: lastSeq - readSeq minus own known.
    expect(unreadCount(t, 30, 5, ALICE)).toBe(30 - 5 - 2);
  });

  it('counts buffered messages by who sent them', () => {
    let t = timelineFromStored(msgs(1, 3), 3, true);
    t = applyLive(t, mine(6)).timeline;
    t = applyLive(t, msg(7)).timeline;
    // 4, 5 unknown; 6 mine; 7 Bob's.
    expect(unreadCount(t, 7, 3, ALICE)).toBe(3);
  });

  it('counts neither a deletion nor a deleted message', () => {
    const t = timelineFromStored(
      [msg(1), msg(2, { text: '', deleted: true }), msg(3, { text: '', deletes: 2, senderUserId: 'hub' })],
      3,
      true,
    );
    expect(unreadCount(t, 3, 0, ALICE)).toBe(1);
  });
});
