import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './FailureLimiter';

function limiter(maxEntries?: number) {
  let now = 1_000_000;
  const l = new FailureLimiter({
    maxFailures: 3,
    lockoutMs: 60_000,
    maxLockoutMs: 3_600_000,
    now: () => now,
    maxEntries,
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
    l.recordFailure('10.0.0.1');
    expect(l.lockedFor('10.0.0.1')).toBe(120_000);
    expect(l.lockedFor('10.0.0.2')).toBe(0);
  });

  it('treats a whole IPv6 /64 as one address, so rotating through it does not help', () => {
    const { l } = limiter();
    l.recordFailure('2001:db8:1:2::a');
    l.recordFailure('2001:db8:1:2::b');
    l.recordFailure('2001:db8:1:2::c');
    expect(l.lockedFor('2001:db8:1:2::d')).toBe(60_000);
    expect(l.lockedFor('2001:db8:1:3::a')).toBe(0);
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

  it('remembers at most maxEntries addresses, dropping the least recently failing', () => {
    const { l } = limiter(3);
    for (const a of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) l.recordFailure(a);
    for (let i = 0; i < 3; i++) l.recordFailure('10.0.0.1');
    l.recordFailure('10.0.0.4');
    expect(l.size).toBe(3);
    expect(l.lockedFor('10.0.0.1')).toBeGreaterThan(0);
  });
});
