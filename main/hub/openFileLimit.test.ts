import { describe, expect, it } from 'vitest';
import { maxConnectionsFor } from './connectionLimits';
import { openFileLimit } from './openFileLimit';

const LIMITS_FILE = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63504                63504                processes
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('openFileLimit', () => {
  it("reads the soft limit from Linux's /proc/self/limits", () => {
    expect(openFileLimit(() => LIMITS_FILE)).toBe(1024);
  });

  it('is unknown where there is no such file, or no limit', () => {
    expect(
      openFileLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
    expect(openFileLimit(() => LIMITS_FILE.replace('1024 ', 'unlimited'))).toBeUndefined();
  });

  it('reads this process on Linux', () => {
    if (process.platform !== 'linux') return;
    expect(openFileLimit()).toBeGreaterThan(0);
  });
});

describe('maxConnectionsFor', () => {
  it('keeps half the descriptors for the hub itself, between 16 and 4096, and 512 when unknown', () => {
    expect(maxConnectionsFor(1024)).toBe(512);
    expect(maxConnectionsFor(1_048_576)).toBe(4096);
    expect(maxConnectionsFor(20)).toBe(16);
    expect(maxConnectionsFor(undefined)).toBe(512);
  });
});
