import { describe, expect, it } from 'vitest';
import { formatCountdown, formatLinkCode, platformLabel } from './deviceLabels';

describe('device labels', () => {
  it('names platforms, unknown ones too', () => {
    expect(platformLabel('web')).toBe('Web browser');
    expect(platformLabel('nope' as never)).toBe('Other');
  });

  it('splits a link code for reading', () => {
    expect(formatLinkCode('K7QM4XZP')).toBe('K7QM-4XZP');
    expect(formatLinkCode('ABC')).toBe('ABC');
  });

  it('counts down to expiry', () => {
    expect(formatCountdown(300_000, 0)).toBe('5:00');
    expect(formatCountdown(65_500, 1_000)).toBe('1:05');
    expect(formatCountdown(0, 5_000)).toBe('0:00');
  });
});
