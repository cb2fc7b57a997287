import { describe, expect, it } from 'vitest';
import { ConnectionQuota, type ConnectionQuotaOptions, type QuotaVerdict } from './ConnectionQuota';

const quotaOf = (options: Partial<ConnectionQuotaOptions>) =>
  new ConnectionQuota({ maxPerAddress: 2, maxPerNetwork: 3, maxConnections: 100, ...options });

function release(verdict: QuotaVerdict): void {
  if (!verdict.ok) throw new Error(`expected a slot, got ${JSON.stringify(verdict)}`);
  verdict.release();
}

describe('ConnectionQuota', () => {
  it('refuses the connection over the cap and frees a slot on release, once', () => {
    const quota = quotaOf({});
    const a = quota.reserve('10.0.0.5');
    expect(quota.reserve('10.0.0.5').ok).toBe(true);
    expect(quota.reserve('10.0.0.5')).toEqual({ ok: false, over: 'address', open: 2 });
    expect(quota.reserve('10.0.0.6').ok).toBe(true);
    release(a);
    release(a);
    expect(quota.openFrom('10.0.0.5')).toBe(1);
    expect(quota.reserve('10.0.0.5').ok).toBe(true);
    expect(quota.reserve('10.0.0.5').ok).toBe(false);
  });

  it("one device's sockets in an IPv6 /64 do not make its neighbours get 429", () => {
    const quota = quotaOf({});
    expect([quota.reserve('2001:db8:0:1::a').ok, quota.reserve('2001:db8:0:1::a').ok]).toEqual([true, true]);
    expect(quota.reserve('2001:db8:0:1::a')).toMatchObject({ ok: false, over: 'address' });
    // A neighbour in the same /64 still gets in: the per-address cap is per device address.
    expect(quota.reserve('2001:db8:0:1::b').ok).toBe(true);
    // The /64 as a whole is capped too, since one host can rotate through it.
    expect(quota.reserve('2001:db8:0:1::c')).toMatchObject({ ok: false, over: 'network', open: 3 });
    expect(quota.reserve('2001:db8:0:2::c').ok).toBe(true);
  });

  it('caps the whole hub, loopback included', () => {
    const quota = quotaOf({ maxConnections: 3 });
    const first = quota.reserve('127.0.0.1');
    expect(quota.reserve('::1').ok && quota.reserve('10.0.0.1').ok).toBe(true);
    expect(quota.reserve('10.0.0.2')).toEqual({ ok: false, over: 'hub', open: 3 });
    release(first);
    expect(quota.openTotal).toBe(2);
    expect(quota.reserve('10.0.0.2').ok).toBe(true);
  });

  it('leaves loopback unlimited per address unless asked', () => {
    const open = quotaOf({ maxPerAddress: 1 });
    expect(open.reserve('127.0.0.1').ok && open.reserve('::1').ok && open.reserve('127.0.0.1').ok).toBe(true);
    const strict = quotaOf({ maxPerAddress: 1, limitLoopback: true });
    expect(strict.reserve('127.0.0.1').ok).toBe(true);
    expect(strict.reserve('::ffff:127.0.0.1').ok).toBe(false);
  });
});
