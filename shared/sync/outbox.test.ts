import { describe, expect, it } from 'vitest';
import * as box from './outbox';

const entry = (n: number, conversationId = 'general') =>
  box.newEntry({ clientMsgId: `client-msg-${n}`, conversationId, text: `text ${n}`, createdAt: n, order: n });
const ids = (entries: readonly box.OutboxEntry[]) => entries.map((e) => e.clientMsgId);

describe('outbox', () => {
  it('keeps entries in order and sends at most maxInFlight at once, oldest first', () => {
    let o: box.Outbox = [];
    for (const n of [3, 1, 2, 4, 5]) o = box.enqueue(o, entry(n));
    expect(ids(o)).toEqual(['client-msg-1', 'client-msg-2', 'client-msg-3', 'client-msg-4', 'client-msg-5']);
    const first = box.takeSendable(o, 2);
    expect(ids(first.toSend)).toEqual(['client-msg-1', 'client-msg-2']);
    expect(box.takeSendable(first.outbox, 2).toSend).toEqual([]);
    const afterAck = box.remove(first.outbox, 'client-msg-1');
    expect(ids(box.takeSendable(afterAck, 2).toSend)).toEqual(['client-msg-3']);
  });

  it('sends everything unacknowledged again, in order, after a reconnect', () => {
    let o: box.Outbox = [entry(1), entry(2), entry(3)];
    o = box.takeSendable(o, 10).outbox;
    o = box.remove(o, 'client-msg-2');
    o = box.requeueSending(o);
    expect(o.map((e) => e.status)).toEqual(['queued', 'queued']);
    const again = box.takeSendable(o, 10);
    expect(ids(again.toSend)).toEqual(['client-msg-1', 'client-msg-3']);
    expect(again.toSend.map((e) => e.attempts)).toEqual([2, 2]);
  });

  it('keeps a transiently failed message queued and parks a refused one until retried', () => {
    let o = box.takeSendable([entry(1), entry(2)], 10).outbox;
    o = box.failTransient(o, 'client-msg-1', 'STORAGE_FAILED');
    o = box.failPermanent(o, 'client-msg-2', 'NOT_A_MEMBER');
    expect(o.map((e) => [e.status, e.lastError])).toEqual([
      ['queued', 'STORAGE_FAILED'],
      ['failed', 'NOT_A_MEMBER'],
    ]);
    expect(ids(box.takeSendable(o, 10).toSend)).toEqual(['client-msg-1']);
    o = box.retry(o, 'client-msg-2');
    expect(ids(box.takeSendable(o, 10).toSend)).toEqual(['client-msg-1', 'client-msg-2']);
    expect(box.pendingCount(o)).toBe(2);
  });

  it('round-trips through storage, failed state included', () => {
    const failed = box.failPermanent([entry(1)], 'client-msg-1', 'FORBIDDEN')[0]!;
    expect(box.toStored(failed)).toEqual({
      clientMsgId: 'client-msg-1',
      conversationId: 'general',
      text: 'text 1',
      createdAt: 1,
      order: 1,
      failedCode: 'FORBIDDEN',
    });
    expect(box.fromStored(box.toStored(failed))).toMatchObject({ status: 'failed', lastError: 'FORBIDDEN' });
    expect(box.fromStored(box.toStored(entry(2)))).toMatchObject({ status: 'queued', attempts: 0 });
    expect(box.nextOrder([entry(4), entry(9)])).toBe(10);
  });

  it('accepts only clientMsgIds the protocol accepts', () => {
    expect(box.isValidClientMsgId('abcdEFGH_-12')).toBe(true);
    expect(box.isValidClientMsgId('short')).toBe(false);
    expect(box.isValidClientMsgId('has space in it')).toBe(false);
    expect(box.isValidClientMsgId('x'.repeat(65))).toBe(false);
  });
});
