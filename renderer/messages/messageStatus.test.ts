import { describe, expect, it } from 'vitest';
import { describeStatus, ownMessageStatus } from './messageStatus';

const r = (userId: string, deliveredSeq: number, readSeq: number) => ({ userId, deliveredSeq, readSeq });

describe('own message status', () => {
  it('moves from sent to delivered to read with the other member’s receipt', () => {
    const members = ['me', 'bob'];
    expect(ownMessageStatus(5, { me: r('me', 5, 5), bob: r('bob', 4, 3) }, members, 'me').status).toBe('sent');
    expect(ownMessageStatus(5, { bob: r('bob', 5, 3) }, members, 'me').status).toBe('delivered');
    expect(ownMessageStatus(5, { bob: r('bob', 9, 7) }, members, 'me').status).toBe('read');
  });

  it('needs every other member in a room', () => {
    const members = ['me', 'bob', 'cy'];
    const receipts = { bob: r('bob', 5, 5), cy: r('cy', 5, 0) };
    const summary = ownMessageStatus(5, receipts, members, 'me');
    expect(summary).toEqual({ status: 'delivered', others: 2, deliveredTo: 2, readBy: 1 });
    expect(describeStatus(summary.status, summary)).toBe('Delivered, read by 1 of 2');
  });

  it('stays sent when nobody else is there, or nobody has a receipt yet', () => {
    expect(ownMessageStatus(1, {}, ['me'], 'me').status).toBe('sent');
    expect(ownMessageStatus(1, {}, ['me', 'bob'], 'me').status).toBe('sent');
  });
});
