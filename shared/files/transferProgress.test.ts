import { describe, expect, it } from 'vitest';
import { describeProgress, formatTimeLeft, progressOf, TransferMeter } from './transferProgress';

describe('TransferMeter', () => {
  it('knows no speed until half a second has been measured', () => {
    const meter = new TransferMeter(1000);
    expect(meter.update(0, 0)).toEqual({
      bytesSent: 0,
      total: 1000,
      percent: 0,
      bytesPerSecond: undefined,
      secondsLeft: undefined,
    });
    expect(meter.update(100, 400).bytesPerSecond).toBeUndefined();
    expect(meter.update(200, 500)).toMatchObject({ percent: 20, bytesPerSecond: 400, secondsLeft: 2 });
  });

  it('measures the speed over the recent window only, so a slowdown shows', () => {
    const meter = new TransferMeter(20_000_000, 5_000);
    for (let s = 0; s <= 10; s++) meter.update(s * 1_000_000, s * 1000);
    // Then a stall: 1 KB in 5 s.
    meter.update(10_000_500, 15_000);
    const slow = meter.update(10_001_000, 15_100);
    expect(slow.bytesPerSecond).toBeLessThan(1000);
  });

  it('starts over when the bytes go back (a resumed upload the hub kept less of)', () => {
    const meter = new TransferMeter(1000);
    meter.update(0, 0);
    meter.update(800, 1000);
    expect(meter.update(300, 1100).bytesPerSecond).toBeUndefined();
    expect(meter.update(400, 2100)).toMatchObject({ bytesPerSecond: 100, secondsLeft: 6 });
  });

  it('clamps what it is told into 0..total', () => {
    const meter = new TransferMeter(10);
    expect(meter.update(-5, 0).bytesSent).toBe(0);
    expect(meter.update(50, 1000)).toMatchObject({ bytesSent: 10, percent: 100, secondsLeft: 0 });
  });
});

describe('progressOf', () => {
  it('rounds the percentage down, so 100 means done', () => {
    expect(progressOf(999, 1000, undefined).percent).toBe(99);
    expect(progressOf(1000, 1000, undefined).percent).toBe(100);
  });

  it('calls an empty file done', () => {
    expect(progressOf(0, 0, undefined)).toMatchObject({ percent: 100, secondsLeft: 0 });
  });

  it('works for files past 4 GiB', () => {
    const total = 8 * 1024 ** 3;
    expect(progressOf(total / 2, total, 100 * 1024 ** 2)).toMatchObject({ percent: 50, secondsLeft: 41 });
  });
});

describe('describing progress', () => {
  it('says the time left in the largest sensible unit', () => {
    expect(formatTimeLeft(0.2)).toBe('1 s left');
    expect(formatTimeLeft(59)).toBe('59 s left');
    expect(formatTimeLeft(61)).toBe('2 min left');
    expect(formatTimeLeft(3600)).toBe('1 h left');
    expect(formatTimeLeft(3900)).toBe('1 h 5 min left');
  });

  it('gives bytes, percent, speed and time left on one line', () => {
    expect(describeProgress(progressOf(12_500_000, 40_000_000, 2_100_000))).toBe(
      '13 MB of 40 MB · 31% · 2.1 MB/s · 14 s left',
    );
    expect(describeProgress(progressOf(5, 5, 10))).toBe('5 B of 5 B · 100%');
  });
});
