import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5_000, factor: 2 };

  it('grows exponentially up to the cap (random at its top)', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, options, top))).toEqual([
      99, 199, 399, 799, 1599, 3199, 4999, 4999,
    ]);
    expect(backoffDelay(10_000, options, top)).toBe(4999);
  });

  it('uses full jitter: anything from 0 up to the ceiling', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(backoffDelay(2, options, Math.random));
    expect([...seen].every((d) => d >= 0 && d < 400)).toBe(true);
    expect(seen.size).toBeGreaterThan(50);
  });

  it('keeps out-of-range random sources inside the window', () => {
    expect(backoffDelay(0, options, () => 7)).toBe(100);
    expect(backoffDelay(0, options, () => -1)).toBe(0);
  });

  it('defaults to 500 ms doubling up to 30 s', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 500, maxMs: 30_000, factor: 2 });
  });
});
