import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/protocol';
import { CONNECTION_DEFAULTS, defaultUserBudget } from './connectionLimits';
import { FrameBudgets, type FrameBudgetOptions } from './FrameBudgets';

function budgets(options: Partial<FrameBudgetOptions> = {}) {
  let t = 0;
  const b = new FrameBudgets(
    {
      perAddress: { perSecond: 1, burst: 3 },
      perHub: { perSecond: 1, burst: 100 },
      perUser: { perSecond: 1, burst: 5 },
      bytesPerToken: 1000,
      answerBytesPerToken: 10_000,
      ...options,
    },
    () => t,
  );
  return { b, advance: (ms: number) => (t += ms) };
}

const times = (n: number, charge: (i: number) => unknown) => Array.from({ length: n }, (_, i) => charge(i));

describe('FrameBudgets', () => {
  it("shares an address's budget across its connections, an IPv6 address by its /64", () => {
    const { b } = budgets();
    expect(times(3, () => b.chargeAddress('2001:db8::1', 10))).toEqual([undefined, undefined, undefined]);
    expect(b.chargeAddress('2001:db8::2', 10)).toEqual({ over: 'address', waitSeconds: 1 });
    expect(b.chargeAddress('2001:db8:0:1::1', 10)).toBeUndefined();
    expect(b.chargeAddress('10.0.0.1', 10)).toBeUndefined();
  });

  it('charges one token per frame and one more per bytesPerToken', () => {
    const { b, advance } = budgets();
    expect(b.chargeUser('u', 4999)).toBeUndefined();
    expect(b.chargeUser('u', 0)).toEqual({ over: 'user', waitSeconds: 1 });
    advance(1000);
    expect(b.chargeUser('u', 0)).toBeUndefined();
    expect(b.chargeUser('u', 2000)).toEqual({ over: 'user', waitSeconds: 3 });
    expect(b.chargeUser('other', 0)).toBeUndefined();
  });

  it('charges answers sent to a user by their bytes, into debt, and refuses until it is paid back', () => {
    // perUser: 5 tokens, 1 a second; answers: 1 token per 10,000 bytes.
    const { b, advance } = budgets();
    expect(b.userInDebt('u')).toBeUndefined();
    b.chargeUserAnswer('u', 9_999);
    expect(b.chargeUser('u', 0)).toBeUndefined();
    // Four tokens left; a page of 70 KB takes 7 of them: 3 owed.
    b.chargeUserAnswer('u', 70_000);
    expect(b.userInDebt('u')).toEqual({ over: 'user', waitSeconds: 3 });
    expect(b.chargeUser('u', 0)).toEqual({ over: 'user', waitSeconds: 4 });
    advance(3000);
    expect(b.userInDebt('u')).toBeUndefined();
    expect(b.userInDebt('other')).toBeUndefined();
  });

  it("at the defaults, a device's catch-up of 100k messages fits in its user's burst; re-fetching does not", () => {
    const perUser = defaultUserBudget(CONNECTION_DEFAULTS.limits);
    const { answerBytesPerToken } = CONNECTION_DEFAULTS.budgets;
    const tokens = (bytes: number) => 1 + Math.floor(bytes / answerBytesPerToken);
    // The benchmark's catch-up: pages of 500 messages of 200 characters (ids are 22 characters).
    const id = 'x'.repeat(22);
    const messages = Array.from({ length: 500 }, (_, i) => ({
      conversationId: id,
      seq: 100_000 + i,
      clientMsgId: `bench-${i}-abcdefgh`,
      senderUserId: id,
      senderDeviceId: id,
      sentAt: 1_764_000_000_000,
      text: 'a'.repeat(200),
    }));
    const page = JSON.stringify({ type: 'messages', rid: 'r9', conversationId: id, direction: 'forward', messages });
    // 1 token for each fetch frame, 1 per answerBytesPerToken of its answer: 1400 of the 2000.
    expect(200 * tokens(Buffer.byteLength(page))).toBeLessThan(0.75 * perUser.burst);
    // The largest page, 1 MiB of emoji, asked for again and again: about 6 a second once the burst is spent.
    const largest = Buffer.byteLength(JSON.stringify({ text: '😀'.repeat(LIMITS.maxPageTextLength) }));
    expect(perUser.perSecond / tokens(largest)).toBeLessThan(10);
  });

  it('caps frames before ready from all addresses together', () => {
    const { b } = budgets({ perHub: { perSecond: 1, burst: 5 } });
    expect(times(5, (i) => b.chargeAddress(`10.0.0.${i}`, 0))).toEqual(Array(5).fill(undefined));
    expect(b.chargeAddress('10.0.0.99', 0)).toEqual({ over: 'hub', waitSeconds: 1 });
  });

  it('leaves loopback alone before ready unless asked', () => {
    const open = budgets().b;
    expect(times(10, () => open.chargeAddress('127.0.0.1', 0))).toEqual(Array(10).fill(undefined));
    const strict = budgets({ limitLoopback: true }).b;
    expect(times(4, () => strict.chargeAddress('::1', 0)).filter(Boolean)).toHaveLength(1);
  });

  it('forgets keys whose budget has refilled, so rotating addresses cannot grow it without bound', () => {
    const { b, advance } = budgets();
    for (let i = 0; i < 1024; i++) b.chargeAddress(`10.1.${i >> 8}.${i & 255}`, 0);
    expect(b.tracked.addresses).toBe(1024);
    advance(1000);
    b.chargeAddress('10.2.0.1', 0);
    expect(b.tracked.addresses).toBe(1);
  });
});
