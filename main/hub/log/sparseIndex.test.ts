import { describe, expect, it } from 'vitest';
import { entryAtOrBefore, formatIndex, indexProblem, parseIndex, shouldIndex } from './sparseIndex';

describe('sparse index', () => {
  it('round-trips "seq offset" lines', () => {
    const entries = [
      { seq: 1, offset: 0 },
      { seq: 129, offset: 20_480 },
    ];
    expect(formatIndex(entries)).toBe('1 0\n129 20480\n');
    expect(parseIndex(formatIndex(entries))).toEqual(entries);
    expect(parseIndex('')).toEqual([]);
  });

  it.each([['1 0\n129 2'], ['1 0\nfoo\n'], ['1  0\n'], ['-1 0\n'], ['1 0 7\n']])(
    'rejects malformed text %j',
    (text) => {
      expect(parseIndex(text)).toBeNull();
    },
  );

  it('names what makes entries inconsistent with the data', () => {
    expect(indexProblem([], 1, 0)).toBeNull();
    expect(indexProblem([], 1, 10)).toMatch(/no entries/);
    expect(indexProblem([{ seq: 2, offset: 0 }], 1, 10)).toMatch(/expected 1@0/);
    expect(
      indexProblem(
        [
          { seq: 1, offset: 0 },
          { seq: 5, offset: 10 },
        ],
        1,
        10,
      ),
    ).toMatch(/beyond the data/);
    expect(
      indexProblem(
        [
          { seq: 1, offset: 0 },
          { seq: 5, offset: 50 },
          { seq: 4, offset: 60 },
        ],
        1,
        100,
      ),
    ).toMatch(/out of order/);
    expect(
      indexProblem(
        [
          { seq: 1, offset: 0 },
          { seq: 5, offset: 50 },
        ],
        1,
        100,
      ),
    ).toBeNull();
  });

  it('finds the last entry at or before a seq', () => {
    const entries = [1, 5, 9, 13].map((seq) => ({ seq, offset: seq * 10 }));
    expect(entryAtOrBefore(entries, 0)).toBeUndefined();
    expect(entryAtOrBefore(entries, 1)).toEqual({ seq: 1, offset: 10 });
    expect(entryAtOrBefore(entries, 8)).toEqual({ seq: 5, offset: 50 });
    expect(entryAtOrBefore(entries, 9)).toEqual({ seq: 9, offset: 90 });
    expect(entryAtOrBefore(entries, 1000)).toEqual({ seq: 13, offset: 130 });
    expect(entryAtOrBefore([], 3)).toBeUndefined();
  });

  it('indexes the first line, then every indexInterval seqs', () => {
    expect(shouldIndex([], 7, 4)).toBe(true);
    expect(shouldIndex([{ seq: 7, offset: 0 }], 10, 4)).toBe(false);
    expect(shouldIndex([{ seq: 7, offset: 0 }], 11, 4)).toBe(true);
  });
});
