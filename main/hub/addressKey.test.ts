import { describe, expect, it } from 'vitest';
import { hostKey, isLoopback, networkKey } from './addressKey';

describe('networkKey', () => {
  it.each([
    ['192.168.1.5', '192.168.1.5'],
    ['::ffff:192.168.1.5', '192.168.1.5'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(networkKey(address)).toBe(key);
  });
});

describe('hostKey', () => {
  it.each([
    ['192.168.1.5', '192.168.1.5'],
    ['::ffff:192.168.1.5', '192.168.1.5'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2:aaaa:bbbb:cccc:dddd'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2:0:0:0:1'],
    ['2001:db8:1:2::2', '2001:db8:1:2:0:0:0:2'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
  ])('%s → %s', (address, key) => {
    expect(hostKey(address)).toBe(key);
  });
});

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])('%s is this machine', (a) => {
    expect(isLoopback(a)).toBe(true);
  });
  it.each(['10.0.0.1', '::2', '::', 'fe80::1', '2001:db8::1', 'unknown'])('%s is not', (a) => {
    expect(isLoopback(a)).toBe(false);
  });
});
