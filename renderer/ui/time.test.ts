import { describe, expect, it } from 'vitest';
import { daysAgo, formatAgo, formatDayLabel, formatListTime } from './time';

// Built from local dates, so the expectations hold in any time zone.
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const NOW = at(2025, 3, 12, 15, 30); // a Wednesday

describe('time labels', () => {
  it('counts calendar days, not 24-hour periods', () => {
    expect(daysAgo(at(2025, 3, 12, 0, 1), NOW)).toBe(0);
    expect(daysAgo(at(2025, 3, 11, 23, 59), NOW)).toBe(1);
    expect(daysAgo(at(2025, 3, 5), NOW)).toBe(7);
  });

  it('labels day separators', () => {
    expect(formatDayLabel(at(2025, 3, 12, 8), NOW, 'en-GB')).toBe('Today');
    expect(formatDayLabel(at(2025, 3, 11, 23), NOW, 'en-GB')).toBe('Yesterday');
    expect(formatDayLabel(at(2025, 3, 9), NOW, 'en-GB')).toBe('Sunday');
    expect(formatDayLabel(at(2025, 1, 3), NOW, 'en-GB')).toBe('Friday 3 January');
    expect(formatDayLabel(at(2024, 12, 24), NOW, 'en-GB')).toBe('24 December 2024');
  });

  it('labels list times', () => {
    expect(formatListTime(at(2025, 3, 12, 9, 5), NOW, 'en-GB')).toBe('9:05');
    expect(formatListTime(at(2025, 3, 11), NOW, 'en-GB')).toBe('Yesterday');
    expect(formatListTime(at(2025, 3, 10), NOW, 'en-GB')).toBe('Mon');
    expect(formatListTime(at(2025, 2, 1), NOW, 'en-GB')).toBe('1 Feb');
  });

  it('says how long ago', () => {
    expect(formatAgo(NOW - 10_000, NOW)).toBe('just now');
    expect(formatAgo(NOW - 5 * 60_000, NOW)).toBe('5 min ago');
    expect(formatAgo(NOW - 3 * 3_600_000, NOW)).toBe('3 h ago');
    expect(formatAgo(at(2025, 3, 11, 14, 0), NOW, 'en-GB')).toBe('yesterday at 14:00');
  });
});
