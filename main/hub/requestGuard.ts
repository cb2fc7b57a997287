import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { DESKTOP_ORIGIN } from '../../shared/protocol';

/**
 * Who may talk to the hub over HTTP. Host is checked against DNS rebinding: a
 * page on evil.example that re-points its name at this machine still sends
 * `Host: evil.example`. Origin is checked so that a page served from
 * elsewhere cannot open a WebSocket with the user's browser.
 */
export type AccessPolicy = {
  /** Extra host names (besides IP literals, localhost and this machine's names). */
  allowedHosts?: readonly string[];
  /** Extra origins (besides the hub's own), e.g. the desktop app's renderer or a dev server. */
  allowedOrigins?: readonly string[];
};

export type GuardFailure = {
  status: 400 | 403;
  code: 'HOST_NOT_ALLOWED' | 'ORIGIN_NOT_ALLOWED' | 'BAD_REQUEST';
  message: string;
};

export function checkHost(hostHeader: string | undefined, policy: AccessPolicy): GuardFailure | undefined {
  if (!hostHeader) return { status: 400, code: 'BAD_REQUEST', message: 'The request has no Host header.' };
  const name = hostName(hostHeader);
  if (isAllowedHostName(name, policy)) return undefined;
  return {
    status: 403,
    code: 'HOST_NOT_ALLOWED',
    message:
      `Host "${hostHeader.slice(0, 100)}" is not this hub. ` +
      `Open the hub by its IP address, localhost, or ${hostname()}.local.`,
  };
}

export function checkOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  policy: AccessPolicy,
): GuardFailure | undefined {
  // Native clients send no Origin; only browsers do, and they cannot omit it.
  if (origin === undefined) return undefined;
  // The desktop app's renderer (app://roost). No web page can send this origin:
  // only a native app on the user's machine can, and native clients may send anything anyway.
  if (origin === DESKTOP_ORIGIN) return undefined;
  if (policy.allowedOrigins?.includes(origin)) return undefined;
  const sameOrigin = parseOriginHost(origin) === hostHeader?.toLowerCase();
  if (sameOrigin) return undefined;
  return {
    status: 403,
    code: 'ORIGIN_NOT_ALLOWED',
    message: `Origin "${origin.slice(0, 100)}" may not connect to this hub.`,
  };
}

function isAllowedHostName(name: string, policy: AccessPolicy): boolean {
  if (isIP(name)) return true;
  const own = hostname().toLowerCase();
  const allowed = ['localhost', own, `${own}.local`, ...(policy.allowedHosts ?? []).map((h) => h.toLowerCase())];
  return allowed.includes(name);
}

/** "Example.local:7420" → "example.local", "[::1]:7420" → "::1". */
function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

function parseOriginHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.host.toLowerCase();
  } catch {
    return undefined;
  }
}
