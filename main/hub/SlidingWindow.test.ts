import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './SlidingWindow';

describe('SlidingWindow', () => {
  it('says how long until an amount fits: until enough of the oldest spending leaves the window', () => {
    const w = new SlidingWindow(60_000, 5);
    w.spend('ann', 2, 0);
    w.spend('ann', 2, 10_000);
    expect(w.waitFor('ann', 1, 10_000)).toBe(0);
    expect(w.waitFor('ann', 2, 10_000)).toBe(50_000);
    expect(w.waitFor('ann', 4, 10_000)).toBe(60_000);
    expect(w.waitFor('ann', 6, 10_000)).toBe(Number.POSITIVE_INFINITY);
    expect(w.waitFor('bo', 5, 10_000)).toBe(0);
    // The first spending leaves the window exactly a window after it was made.
    expect(w.waitFor('ann', 3, 59_999)).toBe(1);
    expect(w.waitFor('ann', 3, 60_000)).toBe(0);
  });

  it('limits nothing and remembers nothing with an infinite limit', () => {
    const w = new SlidingWindow(60_000, Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1000; i++) w.spend('ann', 1000, i);
    expect(w.waitFor('ann', 1e9, 1000)).toBe(0);
  });
});
