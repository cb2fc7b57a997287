import { describe, expect, it } from 'vitest';
import { FILES_FULL, FILES_QUICK, filesConfigFor, formatSize, parseByteSize } from './filesConfig';

describe('parseByteSize', () => {
  it('reads bytes, decimal and binary units, case ignored', () => {
    expect(parseByteSize('65536')).toBe(65_536);
    expect(parseByteSize('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseByteSize('1gib')).toBe(1024 ** 3);
    expect(parseByteSize('1.5 GB')).toBe(1_500_000_000);
  });

  it('refuses what is not a size, naming it', () => {
    for (const bad of ['', '0', '-1', '12 parsecs', 'MiB']) expect(() => parseByteSize(bad)).toThrow(`"${bad}"`);
  });
});

describe('filesConfigFor', () => {
  it('is 1 GiB in a full run and 64 MiB in a quick one', () => {
    expect(filesConfigFor(false, [], {}).fileBytes).toBe(1024 ** 3);
    expect(filesConfigFor(true, [], {})).toEqual(FILES_QUICK);
    expect(filesConfigFor(false, [], {})).toEqual(FILES_FULL);
  });

  it('takes the size from --file-size=, else from BENCH_FILE_SIZE', () => {
    expect(filesConfigFor(false, ['--file-size=8MiB'], { BENCH_FILE_SIZE: '2GiB' }).fileBytes).toBe(8 * 1024 ** 2);
    expect(filesConfigFor(true, [], { BENCH_FILE_SIZE: '2GiB' }).fileBytes).toBe(2 * 1024 ** 3);
  });
});

it('formatSize names sizes in binary units', () => {
  expect([formatSize(1024 ** 3), formatSize(64 * 1024 ** 2), formatSize(1536), formatSize(300)]).toEqual([
    '1 GiB',
    '64 MiB',
    '1.5 KiB',
    '300 B',
  ]);
});
