import { describe, expect, it } from 'vitest';
import { FailureLimiter, type FailureLimiterOptions } from './FailureLimiter';

function limiter(options: Partial<FailureLimiterOptions> = {}) {
  let now = 1_000_000;
  const l = new FailureLimiter({
    maxFailures: 3,
    lockoutMs: 60_000,
    maxLockoutMs: 3_600_000,
    now: () => now,
    ...options,
  });
  return { l, advance: (ms: number) => (now += ms) };
}

describe('FailureLimiter', () => {
  it('locks an address out after maxFailures, doubling each further failure', () => {
    const { l } = limiter();
    for (let i = 0; i < 2; i++) l.recordFailure('10.0.0.1');
    expect(l.lockedFor('10.0.0.1')).toBe(0);
    l.recordFailure('10.0.0.1');
    expect(l.lockedFor('10.0.0.1')).toBe(60_000);
    expect(l.refusal('10.0.0.1')).toEqual({ reason: 'locked', waitMs: 60_000 });
    l.recordFailure('10.0.0.1');
    expect(l.lockedFor('10.0.0.1')).toBe(120_000);
    expect(l.lockedFor('10.0.0.2')).toBe(0);
    expect(l.refusal('10.0.0.2')).toBeUndefined();
  });

  it('locks one IPv6 device, not its /64, while the /64 shares one budget of guesses', () => {
    const { l, advance } = limiter({ networkBurst: 4, networkRefillMs: 1000 });
    for (let i = 0; i < 3; i++) l.recordFailure('2001:db8:1:2::a');
    expect(l.refusal('2001:db8:1:2::a')).toMatchObject({ reason: 'locked' });
    expect(l.refusal('2001:db8:1:2:0:0:0:b')).toBeUndefined();
    l.recordFailure('2001:db8:1:2::b');
    expect(l.refusal('2001:db8:1:2::c')).toEqual({ reason: 'network', waitMs: 1000 });
    expect(l.refusal('2001:db8:1:3::a')).toBeUndefined();
    advance(1000);
    expect(l.refusal('2001:db8:1:2::c')).toBeUndefined();
  });

  it('forgets an address on success and after an hour of quiet', () => {
    const { l, advance } = limiter();
    l.recordFailure('10.0.0.1');
    l.recordSuccess('10.0.0.1');
    expect(l.size).toBe(0);
    l.recordFailure('10.0.0.2');
    advance(61 * 60 * 1000);
    l.recordFailure('10.0.0.3');
    expect(l.size).toBe(1);
  });

  it('a full lockout table refuses new guessers and keeps locked ones', () => {
    const { l, advance } = limiter({ maxEntries: 3 });
    for (let i = 0; i < 3; i++) l.recordFailure('10.0.0.1');
    advance(1000);
    for (let i = 2; i < 100; i++) expect(l.recordFailure(`10.0.0.${i}`)).toBe(i < 4);
    expect(l.size).toBe(3);
    expect(l.lockedFor('10.0.0.1')).toBe(59_000);
    expect(l.refusal('10.0.0.99')).toEqual({ reason: 'full', waitMs: 60 * 60_000 - 1000 });
    // Those already known may go on (and be locked in turn).
    expect(l.refusal('10.0.0.2')).toBeUndefined();
    advance(60 * 60_000 - 1000);
    expect(l.refusal('10.0.0.99')).toBeUndefined();
    expect(l.size).toBe(2);
  });

  it('a full table of networks refuses new ones until the oldest has its budget back', () => {
    const { l, advance } = limiter({ maxEntries: 2, networkBurst: 2, networkRefillMs: 1000 });
    l.recordFailure('2001:db8:1::1');
    l.recordFailure('2001:db8:2::1');
    l.recordSuccess('2001:db8:1::1');
    l.recordSuccess('2001:db8:2::1');
    expect(l.size).toBe(0);
    expect(l.refusal('2001:db8:3::1')).toEqual({ reason: 'full', waitMs: 2000 });
    advance(2000);
    expect(l.refusal('2001:db8:3::1')).toBeUndefined();
  });
});
