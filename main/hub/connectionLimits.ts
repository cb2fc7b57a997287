import type { ConnectionLimits } from './Connection';
import type { ConnectionQuotaOptions } from './ConnectionQuota';
import type { BudgetRate, FrameBudgetOptions } from './FrameBudgets';
import type { HttpTimeouts } from './httpServer';
import { openFileLimit } from './openFileLimit';

/**
 * Every default of the connection layer, in one place: what one socket, one
 * address, one user and the whole hub may cost before the hub refuses.
 * docs/ARCHITECTURE.md "Connections" lists them with what a user sees.
 */
export const CONNECTION_DEFAULTS = {
  /** Per WebSocket. */
  limits: {
    framesPerSecond: 100,
    frameBurst: 1000,
    maxBufferedBytes: 4 * 1024 * 1024,
    maxSendsInFlight: 256,
  } satisfies ConnectionLimits,
  /** Time to send `hello` after connecting. */
  handshakeTimeoutMs: 10_000,
  /**
   * Time from connecting to `ready` (pair or auth). Long enough to type a pairing code;
   * the unpaired client reconnects at once when it passes (as OpenSSH's LoginGraceTime, 120 s).
   */
  authTimeoutMs: 120_000,
  /** Ping interval; a device that misses one pong is dropped at the next. */
  heartbeatMs: 15_000,
  quota: {
    maxPerAddress: 32,
    // About 30 devices sharing one IPv6 /64, each with its WebSocket and a few page loads.
    maxPerNetwork: 256,
  } satisfies Omit<ConnectionQuotaOptions, 'maxConnections'>,
  budgets: {
    // Connecting costs 2-3 frames (hello, pair or auth, a ping): 200 is many devices reconnecting at once.
    perAddress: { perSecond: 20, burst: 200 },
    // A thousand devices reconnecting after a restart; 2000 small frames a second is a few percent of a core.
    perHub: { perSecond: 2000, burst: 10_000 },
    // A small frame costs 1 token, a `send` of 4000 emoji (16 KB) 4.
    bytesPerToken: 4096,
    // Pages sent in answer to fetches. A catch-up of 100k messages of 200 characters (200 pages, 41 MB) costs
    // 1,400 of the user's burst of 2000 (200 for the frames); re-fetching the largest page (1 MiB of emoji,
    // 33 tokens) is held to 6 pages (6 MiB) a second once the burst is spent.
    answerBytesPerToken: 32 * 1024,
  } satisfies Omit<FrameBudgetOptions, 'perUser'>,
  /**
   * A user's budget, unless set, is this many connections' worth of `limits`
   * (200/s, bursts of 2000 by default): it follows an embedder who raises
   * the per-connection rate, as the benchmark does.
   */
  userBudgetInConnections: 2,
  http: {
    headersTimeoutMs: 5_000,
    keepAliveTimeoutMs: 5_000,
    checkIntervalMs: 1_000,
    // An upload or download that moves nothing for 30 s is cut; what arrived stays (appendix F.3).
    bodyIdleMs: 30_000,
  } satisfies HttpTimeouts,
};

/** The per-user budget for these per-connection limits (see userBudgetInConnections). */
export function defaultUserBudget(limits: ConnectionLimits): BudgetRate {
  const n = CONNECTION_DEFAULTS.userBudgetInConnections;
  return { perSecond: n * limits.framesPerSecond, burst: n * limits.frameBurst };
}

/** Connections the whole hub accepts, for this process (maxConnectionsFor). */
export function defaultMaxConnections(): number {
  return maxConnectionsFor(openFileLimit());
}

/**
 * Connections the whole hub accepts: half the open-file limit (the other
 * half for the message log's segments, the registry, web client files and,
 * in the desktop app, Electron's own), between 16 and 4096; 512 where the
 * limit cannot be read.
 */
export function maxConnectionsFor(openFiles: number | undefined): number {
  if (openFiles === undefined) return 512;
  return Math.max(16, Math.min(4096, Math.floor(openFiles / 2)));
}
