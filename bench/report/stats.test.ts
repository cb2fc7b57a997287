import { describe, expect, it } from 'vitest';
import { median, ratio } from './stats';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe('ratio', () => {
  it('is the median of per-run ratios when runs pair up, so a noisy round cancels out', () => {
    // Run 2 was slow for both servers: per-run ratios are 2, 2, 3; medians alone would give 20 / 10.
    expect(ratio([20, 200, 30], [10, 100, 10])).toBe(2);
  });

  it('falls back to a ratio of medians for unpaired runs, and has no value without data', () => {
    expect(ratio([2, 4, 6], [1, 3])).toBe(2);
    expect(ratio([], [1])).toBeNull();
    expect(ratio([1], [])).toBeNull();
  });
});
