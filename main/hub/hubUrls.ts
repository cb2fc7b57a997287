import { networkInterfaces } from 'node:os';

/**
 * The URLs devices can open. Listening on all interfaces means every LAN
 * address works; a specific host means only that one.
 */
export function hubUrls(port: number, host: string | undefined): string[] {
  if (host && host !== '0.0.0.0' && host !== '::') return [`http://${formatHost(host)}:${port}/`];
  const lan: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal || a.family !== 'IPv4') continue;
      lan.push(`http://${a.address}:${port}/`);
    }
  }
  return [...lan, `http://localhost:${port}/`];
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
