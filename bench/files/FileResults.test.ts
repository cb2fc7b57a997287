import { describe, expect, it } from 'vitest';
import { FileResults } from './FileResults';

function uploads(hub: number[], peer: number[]): FileResults {
  const results = new FileResults();
  results.define({
    id: 'upload.rate',
    label: 'Upload',
    unit: 'MB/s',
    better: 'higher',
    target: { text: '>=0.8x peer', met: (r) => r !== null && r >= 0.8 },
  });
  for (const v of hub) results.add('upload.rate', 'hub', v);
  for (const v of peer) results.add('upload.rate', 'peer', v);
  return results;
}

describe('FileResults', () => {
  it('prints medians with min-max, the median of per-run hub/peer ratios, and the target met', () => {
    // Per-run ratios 0.9, 0.5, 0.8: median 0.8; the ratio of medians would be 90/100.
    const table = uploads([90, 50, 96], [100, 100, 120]).formatTable();
    expect(table.split('\n')[2]).toBe(
      '| Upload [MB/s] | 90.0 (50.0-96.0) | 100 (100-120) | 0.80x | >=0.8x peer | yes |',
    );
  });

  it('says NO below the target, and n/a for a side without runs', () => {
    expect(uploads([70], [100]).formatTable().split('\n')[2]).toMatch(/\| 0\.70x \| >=0\.8x peer \| NO \|$/);
    expect(uploads([70], []).formatTable().split('\n')[2]).toBe(
      '| Upload [MB/s] | 70.0 (70.0-70.0) | n/a | n/a | >=0.8x peer | NO |',
    );
  });
});
