import type { ServerKind } from './ipc/messages';

/** How big and how long each part of the benchmark is. `quick` trades precision for a run under two minutes. */
export type BenchConfig = {
  mode: 'full' | 'quick';
  /** Interleaved runs per server and measure. */
  runs: number;
  /** Servers in the fan-out and memory measures, in the order their runs interleave. */
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
  appends: { window: number; warmupMs: number; measureMs: number };
  catchUpMissed: number;
};

export const FULL: BenchConfig = {
  mode: 'full',
  runs: 5,
  servers: ['ws', 'wsFrame', 'socketio', 'roost'],
  receivers: [100, 1000],
  saturationWindow: 20_000,
  fixedRates: [10_000, 50_000],
  warmupMs: 500,
  measureMs: 2000,
  idleDevices: [1000, 5000],
  memoryRuns: 3,
  stored: { small: 1000, large: 1_000_000 },
  appends: { window: 100, warmupMs: 500, measureMs: 2000 },
  catchUpMissed: 100_000,
};

export const QUICK: BenchConfig = {
  ...FULL,
  mode: 'quick',
  runs: 2,
  warmupMs: 200,
  measureMs: 500,
  idleDevices: [1000],
  memoryRuns: 1,
  stored: { small: 1000, large: 200_000 },
  appends: { window: 100, warmupMs: 200, measureMs: 500 },
};
