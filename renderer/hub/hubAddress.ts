import { DEFAULT_PORT, WS_PATH } from '../../shared/protocol';
import { hubUrlFromLocation } from '../sync/browserTransport';

/** The hub this client talks to, and where its local copy lives. */
export type HubAddress = {
  /** The hub's WebSocket endpoint, e.g. `ws://192.168.1.20:7420/ws`. */
  wsUrl: string;
  /** `host:port`, for people. */
  label: string;
  /** The page itself came from this hub, so the address is never asked for. */
  servedByHub: boolean;
  /** IndexedDB database holding this hub's data on this device. */
  databaseName: string;
  /**
   * The hub's identity where this app knows it for certain: in the desktop app, the one it pinned for a joined hub
   * (Electron's certificate check holds the window's connections to it) or its own hub's. The client then signs
   * for no other (PROTOCOL.md 6.6). Absent in a browser, which cannot see its TLS session.
   */
  identity?: string;
};

/** The hub that served this page: it is also the page's origin. */
export function addressFromLocation(location: Pick<Location, 'protocol' | 'host'>): HubAddress {
  // One origin per hub, so the default database name is enough.
  return { wsUrl: hubUrlFromLocation(location), label: location.host, servedByHub: true, databaseName: 'roost' };
}

export type ParsedAddress = { ok: true; address: HubAddress } | { ok: false; error: string };

const SCHEMES: Record<string, 'ws:' | 'wss:'> = { 'http:': 'ws:', 'ws:': 'ws:', 'https:': 'wss:', 'wss:': 'wss:' };

/**
 * A hub address as a person types it: `192.168.1.20`, `kitchen-pc.local:7420`,
 * `https://192.168.1.20:7420/` or a join link. The port defaults to 7420; without a scheme the hub is reached
 * over TLS (`wss:`), except on this machine (loopback), which hubs serve plain.
 */
export function parseHubAddress(input: string): ParsedAddress {
  const text = input.trim();
  if (!text) return { ok: false, error: 'Enter the hub’s address, for example 192.168.1.20:7420.' };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return {
      ok: false,
      error: `“${text}” is not an address. Type it as shown by the hub, for example 192.168.1.20:7420.`,
    };
  }
  // Typed without a scheme: hubs answer the LAN only over TLS; this machine's own hub also plain.
  const scheme = hasScheme ? SCHEMES[url.protocol] : isLoopbackName(url.hostname) ? 'ws:' : 'wss:';
  if (!scheme) return { ok: false, error: `A hub is reached over http or ws, not ${url.protocol.slice(0, -1)}.` };
  if (!url.hostname) return { ok: false, error: `“${text}” has no host name.` };
  // URL drops a port equal to the scheme's default (80, 443), so read what was typed.
  const authority = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  const typedPort = /:(\d+)$/.exec(authority)?.[1];
  const host = typedPort ? `${url.hostname}:${typedPort}` : `${url.hostname}:${DEFAULT_PORT}`;
  return {
    ok: true,
    address: { wsUrl: `${scheme}//${host}${WS_PATH}`, label: host, servedByHub: false, databaseName: `roost@${host}` },
  };
}

/** Whether a `GET /api/info` body describes a Roost hub (section 3.3 of the protocol). */
export function isHubInfo(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const info = value as Record<string, unknown>;
  return typeof info.id === 'string' && typeof info.protocolVersion === 'number';
}

function isLoopbackName(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
