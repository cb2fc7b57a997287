import { describe, expect, it } from 'vitest';
import { ConnectionQuota } from './ConnectionQuota';

describe('ConnectionQuota', () => {
  it('refuses the connection over the cap and frees a slot on release, once', () => {
    const quota = new ConnectionQuota({ maxPerAddress: 2 });
    const a = quota.reserve('10.0.0.5');
    const b = quota.reserve('10.0.0.5');
    expect(a && b).toBeTruthy();
    expect(quota.reserve('10.0.0.5')).toBeUndefined();
    expect(quota.reserve('10.0.0.6')).toBeDefined();
    a?.();
    a?.();
    expect(quota.count('10.0.0.5')).toBe(1);
    expect(quota.reserve('10.0.0.5')).toBeDefined();
    expect(quota.reserve('10.0.0.5')).toBeUndefined();
  });

  it('counts an IPv6 /64 as one address', () => {
    const quota = new ConnectionQuota({ maxPerAddress: 1 });
    expect(quota.reserve('2001:db8:0:1::a')).toBeDefined();
    expect(quota.reserve('2001:db8:0:1::b')).toBeUndefined();
  });

  it('leaves loopback unlimited unless asked', () => {
    const open = new ConnectionQuota({ maxPerAddress: 1 });
    expect(open.reserve('127.0.0.1') && open.reserve('::1') && open.reserve('127.0.0.1')).toBeDefined();
    const strict = new ConnectionQuota({ maxPerAddress: 1, limitLoopback: true });
    expect(strict.reserve('127.0.0.1')).toBeDefined();
    expect(strict.reserve('::ffff:127.0.0.1')).toBeUndefined();
  });
});
