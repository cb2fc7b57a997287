import { describe, expect, it } from 'vitest';
import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the set rate', () => {
    let t = 0;
    const bucket = new TokenBucket(10, 3, () => t);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    t += 100;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    t += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('takes a cost of several tokens whole or not at all, and says how long until it fits', () => {
    let t = 0;
    const bucket = new TokenBucket(2, 5, () => t);
    expect(bucket.take(4)).toBe(true);
    expect(bucket.take(2)).toBe(false);
    expect(bucket.secondsUntil(2)).toBe(0.5);
    expect(bucket.take(1)).toBe(true);
    expect(bucket.full).toBe(false);
    t += 2500;
    expect(bucket.full).toBe(true);
  });
});
