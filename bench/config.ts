import type { ServerKind } from './ipc/messages';

/** How big and how long each part of the benchmark is. `quick` trades precision for a run under two minutes. */
export type BenchConfig = {
  mode: 'full' | 'quick';
  /** Interleaved runs per server and measure. */
  runs: number;
  /** Servers in the fan-out and memory measures, in the order their runs interleave (`--servers=` picks some). */
  servers: ServerKind[];
  receivers: number[];
  /** Deliveries kept in flight while saturating. */
  saturationWindow: number;
  fixedRates: number[];
  warmupMs: number;
  measureMs: number;
  idleDevices: number[];
  memoryRuns: number;
  stored: { small: number; large: number };
  /** Closed loop: `window` sends kept in flight. Open loop: `offered` sends per second, whatever the acks do. */
  appends: { window: number; offered: number; warmupMs: number; measureMs: number };
  catchUpMissed: number;
};

export const FULL: BenchConfig = {
  mode: 'full',
  runs: 5,
  servers: ['ws', 'wsFrame', 'socketio', 'roost', 'wsTls', 'roostTls'],
  receivers: [100, 1000],
  saturationWindow: 20_000,
  fixedRates: [10_000, 50_000],
  warmupMs: 500,
  measureMs: 2000,
  idleDevices: [1000, 5000],
  memoryRuns: 3,
  stored: { small: 1000, large: 1_000_000 },
  appends: { window: 100, offered: 50_000, warmupMs: 500, measureMs: 2000 },
  catchUpMissed: 100_000,
};

/**
 * Every measure family at reduced size, for a run under two minutes on a
 * loaded 2-core machine: N=100 only, 2 runs, 0.5 s windows, 1,000 idle
 * devices (fewer make RSS noise dominate), 50k stored messages (catch-up of 20k). Its rows are labelled with
 * these sizes; targets stated for other sizes are read against them only
 * as a smoke test.
 */
export const QUICK: BenchConfig = {
  ...FULL,
  mode: 'quick',
  runs: 2,
  receivers: [100],
  warmupMs: 200,
  measureMs: 500,
  idleDevices: [1000],
  memoryRuns: 1,
  stored: { small: 1000, large: 50_000 },
  appends: { window: 100, offered: 50_000, warmupMs: 200, measureMs: 500 },
  catchUpMissed: 20_000,
};

/** One line saying which sizes a run uses, printed first and kept in the JSON. */
export function describeConfig(c: BenchConfig): string {
  return (
    `N=${c.receivers.join(',')}; ${c.runs} runs; ${c.warmupMs}+${c.measureMs} ms windows; ` +
    `idle devices ${c.idleDevices.join(',')}; stored ${c.stored.small}/${c.stored.large}; catch-up ${c.catchUpMissed}`
  );
}
