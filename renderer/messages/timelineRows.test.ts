import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import type { OutboxEntry } from '../../shared/sync';
import { buildRows, type Row } from './timelineRows';

const at = (d: number, h: number, min = 0) => new Date(2025, 2, d, h, min).getTime();
const msg = (seq: number, sentAt: number, sender = 'bob', device = `${sender}-phone`): MessageWire => ({
  conversationId: 'general',
  seq,
  clientMsgId: `client-${sender}-${seq}`,
  senderUserId: sender,
  senderDeviceId: device,
  sentAt,
  text: `message ${seq}`,
});
const pending = (id: string, createdAt: number): OutboxEntry => ({
  clientMsgId: id,
  conversationId: 'general',
  text: 'on its way',
  createdAt,
  order: 1,
  status: 'queued',
  lastError: undefined,
  attempts: 0,
});
const me = { selfUserId: 'me', selfDeviceId: 'me-laptop', unreadAfterSeq: undefined };
/** Each row as `[day|][new|]seq-or-p[*][|day][|new]`: markers above or below it; * marks the start of a group. */
const shape = (rows: Row[]) =>
  rows.map(
    (r) =>
      `${r.dayBefore !== undefined ? 'day|' : ''}${r.unreadBefore ? 'new|' : ''}` +
      `${r.kind === 'message' ? r.message.seq : 'p'}${r.startsGroup ? '*' : ''}` +
      `${r.dayAfter !== undefined ? '|day' : ''}${r.unreadAfter ? '|new' : ''}`,
  );

describe('buildRows', () => {
  it('puts a separator before each new day', () => {
    const rows = buildRows([msg(1, at(3, 9)), msg(2, at(3, 23, 59)), msg(3, at(4, 0, 1)), msg(4, at(9, 12))], [], me);
    expect(shape(rows)).toEqual(['day|1*', '2*|day', '3*|day', '4*']);
  });

  it('keeps markers above the first row only', () => {
    expect(shape(buildRows([msg(5, at(3, 9)), msg(6, at(3, 9, 1))], [], { ...me, unreadAfterSeq: 4 }))).toEqual([
      'day|new|5*',
      '6',
    ]);
    const [first, second] = buildRows([msg(5, at(3, 9)), msg(6, at(4, 9))], [], me);
    expect([first!.dayBefore, first!.dayAfter, second!.dayBefore, second!.dayAfter]).toEqual([
      at(3, 9),
      at(4, 9),
      undefined,
      undefined,
    ]);
  });

  it('never repeats a day when the hub’s clock went back', () => {
    const rows = buildRows([msg(1, at(4, 9)), msg(2, at(3, 9)), msg(3, at(4, 10)), msg(4, at(5, 9))], [], me);
    expect(shape(rows)).toEqual(['day|1*', '2', '3*|day', '4*']);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('groups consecutive messages of one sender a few minutes apart', () => {
    const rows = buildRows(
      [
        msg(1, at(3, 9)),
        msg(2, at(3, 9, 2)),
        msg(3, at(3, 9, 3), 'cy'),
        msg(4, at(3, 9, 4), 'cy'),
        msg(5, at(3, 9, 30), 'cy'),
      ],
      [],
      me,
    );
    expect(shape(rows)).toEqual(['day|1*', '2', '3*', '4', '5*']);
  });

  it('marks own messages and draws the new-messages line above the first unread one of others', () => {
    const messages = [
      msg(1, at(3, 9)),
      msg(2, at(3, 9, 1), 'me', 'me-laptop'),
      msg(3, at(3, 9, 2), 'me', 'me-phone'),
      msg(4, at(3, 9, 3)),
    ];
    const rows = buildRows(messages, [], { ...me, unreadAfterSeq: 1 });
    expect(shape(rows)).toEqual(['day|1*', '2*', '3|new', '4*']);
    // On a new day the separator comes first, then the line.
    const nextDay = buildRows([msg(1, at(3, 9)), msg(2, at(4, 9))], [], { ...me, unreadAfterSeq: 1 });
    expect(shape(nextDay)).toEqual(['day|1*|day|new', '2*']);
    expect(rows.map((r) => r.kind === 'message' && r.own)).toEqual([false, true, true, false]);
  });

  it('shows unsent messages last, keyed so they keep their row once sent', () => {
    const sent = msg(2, at(3, 9, 1), 'me', 'me-laptop');
    const before = buildRows([msg(1, at(3, 9))], [pending(sent.clientMsgId, at(3, 9, 1))], me);
    const after = buildRows([msg(1, at(3, 9)), sent], [], me);
    expect(shape(before)).toEqual(['day|1*', 'p*']);
    expect(before.at(-1)!.key).toBe(after.at(-1)!.key);
    expect(new Set(after.map((r) => r.key)).size).toBe(after.length);
  });

  it('keeps keys unique even if one clientMsgId was stored twice', () => {
    const a = msg(1, at(3, 9), 'me', 'me-laptop');
    const rows = buildRows([a, { ...a, seq: 2 }], [pending(a.clientMsgId, at(3, 9))], me);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    expect(rows.filter((r) => r.kind === 'pending')).toEqual([]);
  });

  it('handles 100k messages quickly', () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      msg(i + 1, at(1, 0) + i * 60_000, i % 3 ? 'bob' : 'me', i % 3 ? 'bob-phone' : 'me-laptop'),
    );
    const started = performance.now();
    const rows = buildRows(many, [], me);
    expect(rows.length).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('shows no row for a deletion; the message it deleted keeps its place', () => {
    const deleted = { ...msg(2, at(3, 10, 1)), text: '', deleted: true as const };
    const deletion = { ...msg(3, at(3, 10, 2), 'hub'), text: '', deletes: 2 };
    const rows = buildRows([msg(1, at(3, 10)), deleted, deletion, msg(4, at(3, 10, 3))], [], me);
    expect(rows.map((r) => (r.kind === 'message' ? r.message.seq : 'p'))).toEqual([1, 2, 4]);
    expect(rows[1]).toMatchObject({ kind: 'message', message: { deleted: true } });
  });
});
