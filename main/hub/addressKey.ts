import { isIPv6 } from 'node:net';

/**
 * Keys for per-address limits. Two units, because IPv6 hosts on one LAN usually share one /64:
 * - `hostKey`: one device's address (IPv6 in full, without zone), for what must be fair to each
 *   device, like a pairing lockout: one device's wrong guesses must not lock out its neighbours;
 * - `networkKey`: the /64 for IPv6, since one host can rotate through its /64 at will, for rate
 *   budgets that bound what one attacker can cost. IPv4 addresses are their own key in both.
 * An IPv4-mapped IPv6 address counts as the IPv4 address it maps.
 */
export function hostKey(address: string): string {
  const mapped = mappedIPv4(address);
  if (mapped) return mapped;
  if (!isIPv6(address.split('%')[0]!)) return address;
  return expandIPv6(address).join(':');
}

/** The /64 of an IPv6 address, or the IPv4 address itself (see hostKey). */
export function networkKey(address: string): string {
  const mapped = mappedIPv4(address);
  if (mapped) return mapped;
  if (!isIPv6(address.split('%')[0]!)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function mappedIPv4(address: string): string | undefined {
  return /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
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
  const mapped = mappedIPv4(address);
  if (mapped) return mapped.startsWith('127.');
  if (!isIPv6(address.split('%')[0]!)) return address.startsWith('127.');
  const groups = expandIPv6(address);
  return groups.slice(0, 7).every((g) => g === '0') && groups[7] === '1';
}
