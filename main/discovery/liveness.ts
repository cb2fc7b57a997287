/**
 * Is a hub alive, and at which address? mDNS alone cannot say: a crashed hub sends no
 * goodbye and its records live for hours. So a hub is listed only while GET /api/info
 * answers, from one of the addresses it announced.
 */
import { request } from 'node:http';
import { isIPv6 } from 'node:net';
import { HubInfoSchema, INFO_PATH, type HubInfo } from '../../shared/protocol';

/** Fetches and validates a hub's /api/info at `baseUrl` (`http://ADDR:PORT/`); rejects on any failure. */
export type FetchInfo = (baseUrl: string, options: { timeoutMs: number; signal?: AbortSignal }) => Promise<HubInfo>;

/** A hub's description is a few hundred bytes; anything much bigger is not a hub. */
export const MAX_INFO_BYTES = 16 * 1024;

export class LivenessError extends Error {
  constructor(
    /** Stable: TIMEOUT, HTTP_STATUS, TOO_LARGE, NOT_HUB_INFO, or a network code such as ECONNREFUSED. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LivenessError';
  }
}

/** `http://ADDR:PORT/`, with brackets around an IPv6 address. */
export function hubBaseUrl(address: string, port: number): string {
  return `http://${isIPv6(address) ? `[${address}]` : address}:${port}/`;
}

/**
 * Link-local IPv6 (fe80::/10) cannot be dialled without a zone (`%eth0`), which DNS-SD
 * does not carry and URLs cannot hold; such addresses are listed but never probed.
 */
export function isDialable(address: string): boolean {
  return !(isIPv6(address) && /^fe[89ab]/i.test(address));
}

/** GET /api/info over node:http: one fresh connection, a deadline for the whole exchange, a size cap. */
export const fetchHubInfo: FetchInfo = (baseUrl, { timeoutMs, signal }) =>
  new Promise<HubInfo>((resolve, reject) => {
    const url = new URL(INFO_PATH, baseUrl);
    let settled = false;
    const finish = (err: Error | undefined, info?: HubInfo) => {
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
    const timer = setTimeout(() => finish(new LivenessError('TIMEOUT', `${url.href} did not answer within ${timeoutMs} ms.`)), timeoutMs);
    // agent: false: no pooled keep-alive socket to a hub that may have vanished.
    const req = request(url, { method: 'GET', agent: false, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        finish(new LivenessError('HTTP_STATUS', `${url.href} answered HTTP ${res.statusCode}, not 200.`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_INFO_BYTES) finish(new LivenessError('TOO_LARGE', `${url.href} sent more than ${MAX_INFO_BYTES} bytes.`));
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
        if (!parsed.success) finish(new LivenessError('NOT_HUB_INFO', `${url.href} answered something other than a Roost hub's info.`));
        else finish(undefined, parsed.data);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(new LivenessError(err.code ?? 'NETWORK', `${url.href}: ${err.message}`)));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
    req.end();
  });

export type LiveAnswer = { url: string; info: HubInfo };

/**
 * Asks each dialable address for /api/info and returns where it answered. The address
 * that answered last time is asked alone first (the common case: one request); otherwise
 * all are asked at once, so a check takes at most about two timeouts however many
 * addresses a hub announced, and the first answering one in `addresses` order wins
 * (callers put IPv4 first). Rejects with the first address's error when none answers.
 */
export async function findLiveUrl(
  addresses: readonly string[],
  port: number,
  options: { fetchInfo: FetchInfo; timeoutMs: number; preferredUrl?: string; signal?: AbortSignal },
): Promise<LiveAnswer> {
  const { fetchInfo, timeoutMs, preferredUrl, signal } = options;
  const urls = addresses.filter(isDialable).map((a) => hubBaseUrl(a, port));
  if (urls.length === 0) throw new LivenessError('NO_ADDRESS', `No address to reach port ${port} at (announced: ${addresses.join(', ') || 'none'}).`);
  if (preferredUrl && urls.includes(preferredUrl)) {
    try {
      return { url: preferredUrl, info: await fetchInfo(preferredUrl, { timeoutMs, signal }) };
    } catch (err) {
      if (urls.length === 1 || signal?.aborted) throw err;
    }
  }
  const answers = await Promise.allSettled(urls.map((url) => fetchInfo(url, { timeoutMs, signal })));
  const index = answers.findIndex((a) => a.status === 'fulfilled');
  if (index >= 0) return { url: urls[index]!, info: (answers[index] as PromiseFulfilledResult<HubInfo>).value };
  throw (answers[0] as PromiseRejectedResult).reason;
}
