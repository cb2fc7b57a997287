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

function tlsResults(o: { plain: boolean }): Results {
  const results = new Results();
  results.define({
    id: 'cpu',
    label: 'CPU per delivery',
    unit: 'us',
    better: 'lower',
    target: { text: '<=1.0x (1)', met: (_r, ws) => ws !== null && ws <= 1 },
    tlsTarget: { text: '<=1.3x (5)', met: (wsTls) => wsTls !== null && wsTls <= 1.3 },
  });
  if (o.plain) {
    for (const v of [10, 12]) results.add('cpu', 'ws', v);
    for (const v of [11, 11]) results.add('cpu', 'roost', v);
  }
  // Per-run ratios 1.2 and 1.3: within the target.
  for (const v of [20, 20]) results.add('cpu', 'wsTls', v);
  for (const v of [24, 26]) results.add('cpu', 'roostTls', v);
  return results;
}

describe('formatTable over TLS', () => {
  it('adds the TLS columns, (6)/(5), what TLS costs each server, and the TLS target beside the plain ones', () => {
    const [head, , row] = formatTable(tlsResults({ plain: true })).split('\n');
    expect(head).toBe(
      '| Measure | (1) ws send loop | (2) ws prepared frame | (3) Socket.IO 4 | (4) Roost hub | ' +
        '(5) ws send loop, TLS | (6) Roost hub, TLS | (2)/(1) | (3)/(1) | (4)/(1) | (4)/(3) | (6)/(5) | ' +
        '(5)/(1) | (6)/(4) | Roost target | met | TLS target | met |',
    );
    expect(row).toBe(
      '| CPU per delivery [us] | 11.0 (10.0-12.0) | n/a | n/a | 11.0 (11.0-11.0) | 20.0 (20.0-20.0) | ' +
        '25.0 (24.0-26.0) | n/a | n/a | 1.01x | n/a | 1.25x | 1.83x | 2.27x | <=1.0x (1) | NO | <=1.3x (5) | yes |',
    );
  });

  it('leaves the plain columns out of a run of TLS servers only, and says NO past 1.3x', () => {
    const results = tlsResults({ plain: false });
    // Per-run ratios 1.2, 1.3, 1.5, 1.6: their median, 1.4, is past the target.
    for (const [wsTls, roostTls] of [
      [20, 30],
      [20, 32],
    ] as const) {
      results.add('cpu', 'wsTls', wsTls);
      results.add('cpu', 'roostTls', roostTls);
    }
    const [head, , row] = formatTable(results).split('\n');
    expect(head).toBe('| Measure | (5) ws send loop, TLS | (6) Roost hub, TLS | (6)/(5) | TLS target | met |');
    expect(row).toBe('| CPU per delivery [us] | 20.0 (20.0-20.0) | 28.0 (24.0-32.0) | 1.40x | <=1.3x (5) | NO |');
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
