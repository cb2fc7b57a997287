import { isIPv6 } from 'node:net';

/**
 * The unit that per-address limits (pairing lockout, connection quota) apply
 * to. One IPv6 host usually owns a whole /64 and can rotate through it at
 * will, so IPv6 counts per /64; an IPv4-mapped address counts as the IPv4
 * address it maps.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((part) => part.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** This machine: 127.0.0.0/8 or ::1, however written. */
export function isLoopback(address: string): boolean {
  const key = addressKey(address);
  if (!isIPv6(key.replace('::/64', '::'))) return key.startsWith('127.');
  const groups = expandIPv6(address);
  return groups.slice(0, 7).every((g) => g === '0') && groups[7] === '1';
}
