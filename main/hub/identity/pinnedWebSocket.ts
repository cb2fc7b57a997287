import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocket, type ClientOptions } from 'ws';
import { checkIdentityProof, PROOF_HEADER, sessionExporter, type ProofCheck } from './identityProof';

export type PinnedSocket = {
  ws: WebSocket;
  /** Why the hub was refused, once it was: the socket then closes with 1006 and never opens. */
  refusal(): Extract<ProofCheck, { ok: false }> | undefined;
  /** The identity the hub proved, once the upgrade was answered over TLS. */
  identity(): string | undefined;
};

/**
 * A WebSocket to a hub that checks, before the connection opens, the proof
 * the hub sends with its upgrade (identityProof.ts) and, given `pin`, that the
 * proven identity is the pinned one. The certificate chain is not checked:
 * the proof binds this TLS session to the hub's identity key, which is what
 * is pinned, so a self-signed or an owner's certificate are alike. Without a
 * pin the socket still learns which identity it reached (trust on first use,
 * for discovery). A plain `ws:` URL can prove nothing: with a pin it is
 * refused unless it is loopback (this machine's own hub).
 */
export function openPinnedWebSocket(url: string, options: ClientOptions & { pin?: string } = {}): PinnedSocket {
  const { pin, ...wsOptions } = options;
  const secure = url.startsWith('wss:');
  const plain = plainRefusal(url, pin);
  if (plain) throw new Error(plain.message);
  let refusal: Extract<ProofCheck, { ok: false }> | undefined;
  let proven: string | undefined;
  // TLS 1.3 only, as hubs serve: the proof signs the 1.3 exporter, and an older version can only be someone else.
  const tls = secure ? { rejectUnauthorized: false, minVersion: 'TLSv1.3' as const } : {};
  const ws = new WebSocket(url, { ...wsOptions, ...tls });
  ws.on('upgrade', (res: IncomingMessage) => {
    if (!secure) return;
    const check = checkIdentityProof(res.headers[PROOF_HEADER], sessionExporter(res.socket as TLSSocket), pin);
    if (check.ok) {
      proven = check.identity;
      return;
    }
    refusal = check;
    // Inside 'upgrade': ws then never opens the socket (wsInternals.test.ts).
    ws.terminate();
  });
  return { ws, refusal: () => refusal, identity: () => proven };
}

/** Why `url` may not be used with `pin`: plain, and not this machine. Ask before openPinnedWebSocket. */
export function plainRefusal(url: string, pin: string | undefined): Extract<ProofCheck, { ok: false }> | undefined {
  if (url.startsWith('wss:') || url.startsWith('https:') || pin === undefined || isLoopbackUrl(url)) return undefined;
  return {
    ok: false,
    code: 'HUB_IDENTITY_UNPROVEN',
    message: 'This device knows the hub by its identity and will not talk to it unencrypted.',
  };
}

function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
