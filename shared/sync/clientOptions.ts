import type { Platform } from '../protocol';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { DeviceKeyStore } from './deviceKeys';
import type { RoostWarning } from './errors';
import type { ClientStorage } from './storage';
import type { SyncOptions } from './SyncEngine';
import type { Clock, Transport } from './transport';

export type DeviceDescription = { name: string; platform: Platform };

export type RoostClientOptions = {
  transport: Transport;
  storage: ClientStorage;
  /** The device's key for this hub (protocol 2): WebCrypto in browsers, MemoryDeviceKeys in tests. */
  deviceKeys: DeviceKeyStore;
  clock: Clock;
  /** A fresh random id of 8-64 characters of A-Z a-z 0-9 _ - (clientMsgIds). */
  randomId: () => string;
  /** How this device introduces itself when it pairs. */
  device: DeviceDescription;
  /** Sent in hello, e.g. "roost-web/0.1.0". */
  clientName?: string;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** Reconnect delays. Default 500 ms doubling up to 30 s, full jitter. */
  backoff?: Partial<BackoffOptions>;
  /** Default 15 s. */
  requestTimeoutMs?: number;
  /** From opening a connection to the hub's welcome. Default 10 s. */
  connectTimeoutMs?: number;
  /** Ping the hub after this long without a frame from it; reconnect after twice as long. Default 15 s. */
  pingIntervalMs?: number;
  /** A typing indicator disappears this long after the last typing frame. Default 5 s. */
  typingTimeoutMs?: number;
  /** notifyTyping() sends at most one frame per conversation this often. Default 3 s. */
  typingThrottleMs?: number;
  /** Unacknowledged sends at once. Default 50. */
  maxInFlight?: number;
  /** Default: pages of 200 forward, 50 back, 200 messages of initial history, receipt marks coalesced over 500 ms. */
  sync?: Partial<SyncOptions>;
  /** Messages per conversation shown from storage at start. Default 100. */
  cachedMessagesPerConversation?: number;
  /** Invalid frames, storage failures and the like; the client carries on. */
  onWarning?: (warning: RoostWarning) => void;
};

/** The options with every default above filled in. */
export type ResolvedOptions = Required<Omit<RoostClientOptions, 'clientName' | 'onWarning' | 'backoff' | 'sync'>> &
  Pick<RoostClientOptions, 'clientName' | 'onWarning'> & { backoff: BackoffOptions; sync: SyncOptions };

export function withDefaults(options: RoostClientOptions): ResolvedOptions {
  return {
    ...options,
    random: options.random ?? Math.random,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
    typingTimeoutMs: options.typingTimeoutMs ?? 5_000,
    typingThrottleMs: options.typingThrottleMs ?? 3_000,
    maxInFlight: options.maxInFlight ?? 50,
    sync: { pageSize: 200, olderPageSize: 50, initialHistory: 200, markDelayMs: 500, ...options.sync },
    cachedMessagesPerConversation: options.cachedMessagesPerConversation ?? 100,
  };
}
