import { describe, expect, it } from 'vitest';
import { FrameBudgets, type FrameBudgetOptions } from './FrameBudgets';

function budgets(options: Partial<FrameBudgetOptions> = {}) {
  let t = 0;
  const b = new FrameBudgets(
    {
      perAddress: { perSecond: 1, burst: 3 },
      perHub: { perSecond: 1, burst: 100 },
      perUser: { perSecond: 1, burst: 5 },
      bytesPerToken: 1000,
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
