import { networkInterfaces } from 'node:os';

/**
 * The URLs devices can open: HTTPS, as the hub answers plain HTTP from the
 * LAN only with a page that sends people there. Listening on all interfaces
 * means every LAN address works; a specific host means only that one.
 */
export function hubUrls(port: number, host: string | undefined): string[] {
  if (host && host !== '0.0.0.0' && host !== '::') return [`https://${formatHost(host)}:${port}/`];
  const lan: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal || a.family !== 'IPv4') continue;
      lan.push(`https://${a.address}:${port}/`);
    }
  }
  return [...lan, `https://localhost:${port}/`];
}

/**
 * A join link: the one-time token and the hub's identity in the fragment,
 * which browsers never send to the network (PROTOCOL.md 6.3). A device that
 * opens it learns the identity from the same trusted channel as the token.
 */
export function joinLinkUrl(baseUrl: string, token: string, identity: string): string {
  return `${baseUrl}#join=${token}&id=${identity}`;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
