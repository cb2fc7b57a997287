import { RoostClient, type RoostClientOptions } from '../../shared/sync/RoostClient';
import type { Clock } from '../../shared/sync/transport';
import { browserTransport, hubUrlFromLocation } from './browserTransport';
import { openIndexedDbStorage } from './indexedDbStorage';

/** The browser's timers and wall clock. */
export const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number | undefined),
};

/** 22 random URL-safe characters (128 bits) from the browser's CSPRNG: a clientMsgId. */
export function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < 16; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  return out.slice(0, 22);
}

export type BrowserClientOptions = Omit<RoostClientOptions, 'transport' | 'storage' | 'clock' | 'randomId'> & {
  /** Default: the hub that served this page. */
  url?: string;
  /** IndexedDB database name; default `roost`. */
  databaseName?: string;
};

/**
 * A RoostClient wired to the browser: WebSocket, IndexedDB, real timers.
 * Reconnects at once when the browser says it is back online. Call start().
 */
export async function createBrowserClient(options: BrowserClientOptions): Promise<RoostClient> {
  const { url = hubUrlFromLocation(globalThis.location), databaseName, ...rest } = options;
  const storage = await openIndexedDbStorage(databaseName);
  const client = new RoostClient({ ...rest, transport: browserTransport(url), storage, clock: browserClock, randomId });
  globalThis.addEventListener('online', () => client.retryNow());
  return client;
}
