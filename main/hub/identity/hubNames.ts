import { hostname, networkInterfaces } from 'node:os';
import type { CertificateNames } from './certificate';

/**
 * What a device may type or be sent to reach this machine: its host name
 * (bare and .local), localhost, extra names the owner allows, and every
 * address of every interface (loopback included; IPv6 link-local left out,
 * as URLs cannot carry its zone).
 */
export function machineNames(extraNames: readonly string[] = []): CertificateNames {
  const own = hostname().toLowerCase();
  const dnsNames = [...new Set(['localhost', own, `${own}.local`, ...extraNames.map((n) => n.toLowerCase())])];
  const ipAddresses = new Set(['127.0.0.1', '::1']);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv6' && /^fe[89ab]/i.test(a.address)) continue;
      ipAddresses.add(a.address);
    }
  }
  return { dnsNames: dnsNames.filter(isDnsName), ipAddresses: [...ipAddresses] };
}

/** A certificate may only name what a DNS name can be (a Windows machine name can hold `_`, browsers refuse it). */
function isDnsName(name: string): boolean {
  return /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(name);
}
