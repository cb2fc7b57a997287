import { isIP } from 'node:net';

/**
 * A Host header taken apart and checked: a DNS name or IP literal and an
 * optional port, nothing else. Whatever the hub writes back that came from
 * Host (the CSP's connect-src) is built from this, never from the raw header,
 * so no quote, semicolon, space or `*` in it can reach a response.
 */
export type ValidHost = {
  /** Lower case; an IPv6 literal without its brackets. */
  hostname: string;
  port: number | undefined;
  ipv6: boolean;
};

/** Dot-separated labels of letters, digits, `-` and `_` (Windows machine names), as browsers send them. */
const NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;
/** An IPv6 literal's characters; isIP then decides (a zone id, `%eth0`, is refused: browsers never send one). */
const IPV6 = /^[0-9a-f:.]{2,45}$/;
const PORT = /^[0-9]{1,5}$/;

export function parseHostHeader(raw: string | undefined): ValidHost | undefined {
  if (raw === undefined) return undefined;
  const h = raw.toLowerCase();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    if (close === -1) return undefined;
    const hostname = h.slice(1, close);
    if (!IPV6.test(hostname) || isIP(hostname) !== 6) return undefined;
    const port = parsePort(h.slice(close + 1));
    return port === null ? undefined : { hostname, port, ipv6: true };
  }
  const colon = h.indexOf(':');
  const hostname = colon === -1 ? h : h.slice(0, colon);
  if (!NAME.test(hostname)) return undefined;
  const port = parsePort(colon === -1 ? '' : h.slice(colon));
  return port === null ? undefined : { hostname, port, ipv6: false };
}

/** `host[:port]` rebuilt from the checked parts. */
export function formatHost(host: ValidHost): string {
  const name = host.ipv6 ? `[${host.hostname}]` : host.hostname;
  return host.port === undefined ? name : `${name}:${host.port}`;
}

/** `""` → no port; `":7420"` → 7420; anything else → null (refused). */
function parsePort(rest: string): number | undefined | null {
  if (rest === '') return undefined;
  if (!rest.startsWith(':') || !PORT.test(rest.slice(1))) return null;
  const port = Number(rest.slice(1));
  return port >= 1 && port <= 65_535 ? port : null;
}
