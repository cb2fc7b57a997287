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
});
