import { describe, expect, it } from 'vitest';
import { Results } from './Results';
import { fmt, formatTable } from './table';

function cpuResults(roost: number[]): Results {
  const results = new Results();
  results.define({
    id: 'cpu',
    label: 'CPU per delivery',
    unit: 'us',
    better: 'lower',
    target: { text: '<=1.0x (1)', met: (_r, ws) => ws !== null && ws <= 1 },
  });
  for (const v of [10, 12]) results.add('cpu', 'ws', v);
  for (const v of [14, 16]) results.add('cpu', 'socketio', v);
  for (const v of roost) results.add('cpu', 'roost', v);
  return results;
}

describe('formatTable', () => {
  it('prints medians with min-max, per-run ratio medians vs (1) and (3), and n/a for a server without runs', () => {
    const row = formatTable(cpuResults([9, 9])).split('\n')[2];
    expect(row).toBe(
      '| CPU per delivery [us] | 11.0 (10.0-12.0) | n/a | 15.0 (14.0-16.0) | 9.00 (9.00-9.00) | n/a | ' +
        '1.37x | 0.82x | 0.60x | <=1.0x (1) | yes |',
    );
  });

  it('says NO when the target is missed', () => {
    expect(formatTable(cpuResults([13, 13])).split('\n')[2]).toMatch(/\| 1\.19x \| 0\.87x \| <=1\.0x \(1\) \| NO \|$/);
  });
});

describe('fmt', () => {
  it('keeps three significant figures and shortens thousands', () => {
    expect([fmt(702_431), fmt(49_180), fmt(962.4), fmt(11.23), fmt(2.416)]).toEqual([
      '702k',
      '49.2k',
      '962',
      '11.2',
      '2.42',
    ]);
  });
});
