import { MemoryDeviceKeys } from '../../shared/sync/MemoryDeviceKeys';
import { toBase64url } from '../../shared/util/base64url';
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
  return toBase64url(bytes);
}

type Persistence = Pick<RoostClientOptions, 'storage' | 'deviceKeys'>;

export type BrowserClientOptions = Omit<RoostClientOptions, keyof Persistence | 'transport' | 'clock' | 'randomId'> & {
  /** Default: the hub that served this page. */
  url?: string;
  /** The hub identity the desktop app pinned for `url` (HubAddress.identity); the client signs for no other. */
  provenIdentity?: string;
  /** IndexedDB database name; default `roost`. Ignored when `storage` is given. */
  databaseName?: string;
  /**
   * Default: IndexedDB, which keeps the device's key too. MemoryStorage where the browser refuses it: the key is
   * then kept in memory as well, and the device and its key are forgotten on close.
   */
  storage?: ClientStorage;
};

/**
 * Another tab opened this hub's database at a newer version, so it runs a newer Roost, and this tab's storage
 * has closed: reloading brings the newer code, on the same database, with the outbox it kept.
 */
function reloadForNewerVersion(): void {
  globalThis.location.reload();
}

async function openPersistence(databaseName: string | undefined): Promise<Persistence> {
  const db = await openIndexedDbStorage(databaseName, { onVersionChange: reloadForNewerVersion });
  return { storage: db, deviceKeys: db.deviceKeys() };
}

/** A RoostClient wired to the browser: WebSocket, IndexedDB (or the given storage), real timers. Call start(). */
export async function createBrowserClient(options: BrowserClientOptions): Promise<RoostClient> {
  const { url = hubUrlFromLocation(globalThis.location), databaseName, storage, provenIdentity, ...rest } = options;
  const persistence: Persistence = storage
    ? { storage, deviceKeys: new MemoryDeviceKeys() }
    : await openPersistence(databaseName);
  const transport = browserTransport(url, WebSocket, provenIdentity);
  return new RoostClient({ ...rest, ...persistence, transport, clock: browserClock, randomId });
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
