import { RoostClient, type RoostClientOptions } from '../../shared/sync/RoostClient';
import type { ClientStorage } from '../../shared/sync/storage';
import type { Clock } from '../../shared/sync/transport';
import { browserTransport, hubUrlFromLocation } from './browserTransport';
import { openIndexedDbStorage } from './IndexedDbStorage';

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
  /** IndexedDB database name; default `roost`. Ignored when `storage` is given. */
  databaseName?: string;
  /** Default: IndexedDB. MemoryStorage where the browser refuses it (the device is then forgotten on close). */
  storage?: ClientStorage;
};

/** A RoostClient wired to the browser: WebSocket, IndexedDB (or the given storage), real timers. Call start(). */
export async function createBrowserClient(options: BrowserClientOptions): Promise<RoostClient> {
  const { url = hubUrlFromLocation(globalThis.location), databaseName, storage, ...rest } = options;
  return new RoostClient({
    ...rest,
    transport: browserTransport(url),
    storage: storage ?? (await openIndexedDbStorage(databaseName)),
    clock: browserClock,
    randomId,
  });
}

/**
 * Follows the browser's network events: "offline" drops the connection at
 * once (else it is noticed only at the ping timeout, about 30 s), "online"
 * reconnects without waiting out the backoff. Returns the unsubscribe.
 */
export function followBrowserNetwork(
  client: Pick<RoostClient, 'networkLost' | 'retryNow'>,
  target: EventTarget = globalThis,
): () => void {
  const offline = () => client.networkLost();
  const online = () => client.retryNow();
  target.addEventListener('offline', offline);
  target.addEventListener('online', online);
  return () => {
    target.removeEventListener('offline', offline);
    target.removeEventListener('online', online);
  };
}
