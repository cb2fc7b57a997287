/**
 * Is a hub alive, and at which address? mDNS alone cannot say: a crashed hub sends no
 * goodbye and its records live for hours. So a hub is listed only while GET /api/info
 * answers, from one of the addresses it announced, over TLS, with a proof of its identity
 * key bound to that TLS session (main/hub/identity/identityProof.ts). The certificate
 * chain is not checked: a hub's certificate is self-signed, and the proof is what names
 * the hub; what it proves is listed for a person to compare (trust on first use).
 */
import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { isIP, isIPv6 } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { HubInfoSchema, INFO_PATH, type HubInfo } from '../../shared/protocol';
import { checkIdentityProof, PROOF_HEADER, sessionExporter } from '../hub/identity/identityProof';

/** What a hub said about itself, and what it proved inside the TLS session it said it over. */
export type ProvenInfo = {
  info: HubInfo;
  /** The identity whose key signed this session's exporter. */
  identity: string;
  /** SHA-256 of the certificate (DER) the hub presented, hex: which certificate this proof was made behind. */
  certificateSha256: string;
};

/** Fetches and validates a hub's /api/info at `baseUrl` (`https://ADDR:PORT/`); rejects on any failure. */
export type FetchInfo = (baseUrl: string, options: { timeoutMs: number; signal?: AbortSignal }) => Promise<ProvenInfo>;

/** A hub's description is a few hundred bytes; anything much bigger is not a hub. */
export const MAX_INFO_BYTES = 16 * 1024;

export class LivenessError extends Error {
  constructor(
    /**
     * Stable: TIMEOUT, HTTP_STATUS, TOO_LARGE, NOT_HUB_INFO, HUB_IDENTITY_UNPROVEN (no valid proof of an identity
     * key for this TLS session, or info naming another identity than the one proven), or a network code such as
     * ECONNREFUSED.
     */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LivenessError';
  }
}

/** `https://ADDR:PORT/`, with brackets around an IPv6 address. */
export function hubBaseUrl(address: string, port: number): string {
  return `https://${isIPv6(address) ? `[${address}]` : address}:${port}/`;
}

/**
 * Link-local IPv6 (fe80::/10) cannot be dialled without a zone (`%eth0`), which DNS-SD
 * does not carry and URLs cannot hold; such addresses are listed but never probed.
 */
export function isDialable(address: string): boolean {
  return !(isIPv6(address) && /^fe[89ab]/i.test(address));
}

/**
 * GET /api/info over node:https: one fresh connection, a deadline for the whole exchange, a size cap, and
 * the hub's identity proof checked against this session before the body is read.
 */
export const fetchHubInfo: FetchInfo = (baseUrl, { timeoutMs, signal }) =>
  new Promise<ProvenInfo>((resolve, reject) => {
    const url = new URL(INFO_PATH, baseUrl);
    let settled = false;
    const finish = (err: Error | undefined, info?: ProvenInfo) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      if (err) reject(err);
      else resolve(info!);
    };
    const onAbort = () => finish(new LivenessError('ABORTED', `Check of ${baseUrl} was cancelled.`));
    // One deadline for connect, headers and body: a hub that accepts but never answers is dead too.
    const timer = setTimeout(
      () => finish(new LivenessError('TIMEOUT', `${url.href} did not answer within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    // agent: false: no pooled keep-alive socket to a hub that may have vanished (nor a resumed TLS session).
    // rejectUnauthorized: false: the chain proves nothing here; the identity proof below does. TLS 1.3 only, as
    // hubs serve: the proof signs the 1.3 exporter, and an older version can only be someone else.
    const options = {
      method: 'GET',
      agent: false,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3' as const,
      headers: { accept: 'application/json' },
    };
    const req = request(url, options, (res) => {
      if (res.statusCode !== 200) {
        finish(new LivenessError('HTTP_STATUS', `${url.href} answered HTTP ${res.statusCode}, not 200.`));
        return;
      }
      const socket = res.socket as TLSSocket;
      const proof = checkIdentityProof(res.headers[PROOF_HEADER], sessionExporter(socket), undefined);
      if (!proof.ok) {
        finish(new LivenessError('HUB_IDENTITY_UNPROVEN', `${url.href}: ${proof.message}`));
        return;
      }
      const certificateSha256 = createHash('sha256').update(socket.getPeerCertificate().raw).digest('hex');
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_INFO_BYTES)
          finish(new LivenessError('TOO_LARGE', `${url.href} sent more than ${MAX_INFO_BYTES} bytes.`));
        else chunks.push(chunk);
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          finish(new LivenessError('NOT_HUB_INFO', `${url.href} did not answer JSON.`));
          return;
        }
        const parsed = HubInfoSchema.safeParse(body);
        if (!parsed.success)
          finish(new LivenessError('NOT_HUB_INFO', `${url.href} answered something other than a Roost hub's info.`));
        else if (parsed.data.identity !== proof.identity)
          finish(
            new LivenessError(
              'HUB_IDENTITY_UNPROVEN',
              `${url.href} says it is ${parsed.data.identity} but proved ${proof.identity}.`,
            ),
          );
        else finish(undefined, { info: parsed.data, identity: proof.identity, certificateSha256 });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish(new LivenessError(err.code ?? 'NETWORK', `${url.href}: ${err.message}`)),
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
    req.end();
  });

export type LiveAnswer = { url: string } & ProvenInfo;

/** Addresses tried per check: the advertiser picks them, so it must not be able to aim a fan-out of requests. */
export const MAX_DIAL_ADDRESSES = 4;
/** Requests one check runs at once (a hub's answer is usually from its first address). */
export const DIAL_PARALLELISM = 2;

const unmapped = (address: string) => address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
const isLoopback = (address: string) => {
  const a = unmapped(address);
  return a === '::1' || a.startsWith('127.');
};
/**
 * Loopback, unspecified, multicast and broadcast: never a LAN hub's address unless the advert came from this machine.
 */
function isLocalOrSpecial(address: string): boolean {
  const a = unmapped(address);
  if (isLoopback(a)) return true;
  if (isIPv6(a)) return a === '::' || a.startsWith('ff');
  const first = Number(a.split('.')[0]);
  return first === 0 || first >= 224;
}

/**
 * Which announced addresses a check may dial, in order: the mDNS packet's sender first
 * (it is on our link, and proven to exist), then the announced ones as given (IPv4 first),
 * at most MAX_DIAL_ADDRESSES. Only IP literals (never a name to resolve).
 * Link-local IPv6 is never dialled (see isDialable); loopback, unspecified, multicast and broadcast
 * addresses only when the packet itself came from loopback.
 */
export function pickDialAddresses(addresses: readonly string[], sender?: string): string[] {
  const fromLoopback = sender !== undefined && isLoopback(sender);
  const ordered = [...new Set([...(sender ? [sender] : []), ...addresses])];
  return ordered
    .filter((a) => isIP(a) !== 0 && isDialable(a) && (fromLoopback || !isLocalOrSpecial(a)))
    .slice(0, MAX_DIAL_ADDRESSES);
}

/**
 * Limits how many requests run at once, whoever starts them: the rest wait in a FIFO queue
 * (their deadline starts when they run). A waiting request that is aborted leaves the queue.
 */
export function limitConcurrency(fetchInfo: FetchInfo, maxInFlight: number): FetchInfo {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return (baseUrl, options) =>
    new Promise<ProvenInfo>((resolve, reject) => {
      const { signal } = options;
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        running++;
        fetchInfo(baseUrl, options).then(resolve, reject).finally(release);
      };
      const onAbort = () => {
        const i = waiting.indexOf(start);
        if (i >= 0) waiting.splice(i, 1);
        reject(new LivenessError('ABORTED', `Check of ${baseUrl} was cancelled.`));
      };
      if (signal?.aborted) return onAbort();
      if (running < maxInFlight) return start();
      waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * Asks the dialable addresses (at most MAX_DIAL_ADDRESSES) for /api/info and returns where
 * it answered. The address that answered last time is asked alone first (the common case:
 * one request); otherwise the others are asked DIAL_PARALLELISM at a time, in `addresses`
 * order, and the first answering one in that order wins; so a check takes at most about
 * three timeouts, and never sends more than two requests at once. Rejects with the first
 * address's error when none answers.
 */
export async function findLiveUrl(
  addresses: readonly string[],
  port: number,
  options: { fetchInfo: FetchInfo; timeoutMs: number; preferredUrl?: string; signal?: AbortSignal },
): Promise<LiveAnswer> {
  const { fetchInfo, timeoutMs, preferredUrl, signal } = options;
  let urls = addresses
    .filter(isDialable)
    .slice(0, MAX_DIAL_ADDRESSES)
    .map((a) => hubBaseUrl(a, port));
  if (urls.length === 0)
    throw new LivenessError(
      'NO_ADDRESS',
      `No address to reach port ${port} at (announced: ${addresses.join(', ') || 'none'}).`,
    );
  let firstError: unknown;
  if (preferredUrl && urls.includes(preferredUrl)) {
    try {
      return { url: preferredUrl, ...(await fetchInfo(preferredUrl, { timeoutMs, signal })) };
    } catch (err) {
      if (urls.length === 1 || signal?.aborted) throw err;
      firstError = err;
      urls = urls.filter((u) => u !== preferredUrl);
    }
  }
  for (let i = 0; i < urls.length; i += DIAL_PARALLELISM) {
    const batch = urls.slice(i, i + DIAL_PARALLELISM);
    const answers = await Promise.allSettled(batch.map((url) => fetchInfo(url, { timeoutMs, signal })));
    const index = answers.findIndex((a) => a.status === 'fulfilled');
    if (index >= 0) return { url: batch[index]!, ...(answers[index] as PromiseFulfilledResult<ProvenInfo>).value };
    firstError ??= (answers[0] as PromiseRejectedResult).reason;
    if (signal?.aborted) break;
  }
  throw firstError;
}
