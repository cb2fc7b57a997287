import path from 'node:path';
import type { BenchConfig } from '../config';
import { writeRegistry } from '../fixtures/roostRegistry';
import type { ServerKind, WindowStats } from '../ipc/messages';
import {
  serverCpuMicros,
  sleep,
  startLoadGenerator,
  startServer,
  stopLoadGenerator,
  stopServer,
  type LoadProcess,
  type ServerProcess,
} from '../processes';
import type { Results } from '../report/Results';
import { isRoost } from '../serverKinds';

/**
 * Receiving devices per user. With one user per device, connecting 1,000
 * devices takes the hub about 8 s here: every ready snapshot lists every
 * user and the default room's receipts (O(N) bytes each, O(N^2) in all).
 * A few devices per user, as in a household, keeps set-up short; the group
 * still holds every receiver's user and every message still goes to N
 * devices.
 */
const DEVICES_PER_USER = 5;

type Pair = { kind: ServerKind; server: ServerProcess; load: LoadProcess };

/**
 * Fan-out to N receivers, every server up at once with its receivers
 * connected, measured in interleaved runs (1 2 3 4 5 6 1 2 ...): saturation
 * throughput, then latency and server CPU at each fixed offered rate.
 */
export async function measureFanout(
  config: BenchConfig,
  results: Results,
  n: number,
  tempDir: string,
  log: (line: string) => void,
): Promise<void> {
  defineMetrics(config, results, n);
  const pairs: Pair[] = [];
  try {
    // Set-up is not measured, so all servers start and connect their receivers at once: process boots dominate it.
    const t0 = performance.now();
    const connecting = await Promise.allSettled(
      config.servers.map(async (kind) => {
        const pair = await connectPair(kind, n, tempDir);
        log(`  ${kind}: ${n} receivers connected after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        return pair;
      }),
    );
    for (const c of connecting) if (c.status === 'fulfilled') pairs.push(c.value);
    const failed = connecting.find((c) => c.status === 'rejected');
    if (failed) throw failed.reason;
    // One untimed round first, so every server runs JIT-compiled code when measured.
    for (const pair of pairs) await window(pair, 'saturate', 0, config);
    for (let run = 1; run <= config.runs; run++) {
      for (const pair of pairs) {
        const sat = await window(pair, 'saturate', 0, config);
        results.add(`fanout.saturation.${n}`, pair.kind, sat.stats.deliveries / sat.stats.seconds);
        results.add(`fanout.cpuSaturated.${n}`, pair.kind, sat.cpuPerDelivery);
        const line = [
          `run ${run} ${pair.kind} N=${n}: ${Math.round(sat.stats.deliveries / sat.stats.seconds)}/s saturated`,
        ];
        for (const rate of config.fixedRates) {
          const fixed = await window(pair, 'fixed', rate, config);
          if (fixed.stats.p50Ms !== null) results.add(`fanout.p50.${rate}.${n}`, pair.kind, fixed.stats.p50Ms);
          if (fixed.stats.p99Ms !== null) results.add(`fanout.p99.${rate}.${n}`, pair.kind, fixed.stats.p99Ms);
          results.add(`fanout.cpu.${rate}.${n}`, pair.kind, fixed.cpuPerDelivery);
          if (fixed.mainThreadCpuPerDelivery !== null)
            results.add(`fanout.cpuMain.${rate}.${n}`, pair.kind, fixed.mainThreadCpuPerDelivery);
          const achieved = fixed.stats.deliveries / fixed.stats.seconds;
          if (achieved < rate * 0.9)
            results.notes.push(
              `${pair.kind} N=${n} run ${run}: offered ${rate}/s, delivered only ${Math.round(achieved)}/s`,
            );
          line.push(`${rate}/s p99 ${fixed.stats.p99Ms?.toFixed(2)} ms ${fixed.cpuPerDelivery.toFixed(2)} us`);
        }
        log(`  ${line.join(', ')}`);
      }
    }
  } finally {
    for (const pair of pairs) {
      await stopLoadGenerator(pair.load);
      await stopServer(pair.server);
    }
  }
}

async function connectPair(kind: ServerKind, n: number, tempDir: string): Promise<Pair> {
  let server: ServerProcess;
  let roost;
  if (isRoost(kind)) {
    const dataDir = path.join(tempDir, `fanout-${kind}-${n}`);
    const { devices } = await writeRegistry(dataDir, { devices: n, devicesPerUser: DEVICES_PER_USER });
    server = await startServer(kind, dataDir);
    const { token } = await server.child.request({ type: 'joinToken' }, 'joinToken');
    roost = { joinToken: token, receivers: devices };
  } else {
    server = await startServer(kind);
  }
  const load = startLoadGenerator(kind);
  await load.request({ type: 'connect', kind, port: server.port, receivers: n, roost, pin: server.identity }, 'done');
  return { kind, server, load };
}

type Window = { stats: WindowStats; cpuPerDelivery: number; mainThreadCpuPerDelivery: number | null };

/** One measured window: load on, warm-up, then deliveries, latencies and the server's CPU time over the window. */
async function window(pair: Pair, mode: 'saturate' | 'fixed', rate: number, config: BenchConfig): Promise<Window> {
  await pair.load.request(
    { type: 'startLoad', mode, deliveriesPerSec: rate, windowDeliveries: config.saturationWindow },
    'done',
  );
  await sleep(config.warmupMs);
  const cpu0 = await serverCpuMicros(pair.server);
  await pair.load.request({ type: 'measureStart' }, 'done');
  await sleep(config.measureMs);
  const { stats } = await pair.load.request({ type: 'measureStop' }, 'window');
  const cpu1 = await serverCpuMicros(pair.server);
  await pair.load.request({ type: 'stopLoad' }, 'done');
  const perDelivery = (micros: number) => (stats.deliveries > 0 ? micros / stats.deliveries : Number.NaN);
  const mainThread =
    cpu0.mainThread === null || cpu1.mainThread === null ? null : perDelivery(cpu1.mainThread - cpu0.mainThread);
  return { stats, cpuPerDelivery: perDelivery(cpu1.all - cpu0.all), mainThreadCpuPerDelivery: mainThread };
}

function defineMetrics(config: BenchConfig, results: Results, n: number): void {
  results.define({
    id: `fanout.saturation.${n}`,
    label: `Fan-out at saturation, N=${n}`,
    unit: 'deliveries/s',
    better: 'higher',
    target: { text: '>=1.0x (1), >=1.25x (3)', met: (_r, ws, sio) => (ws ?? 0) >= 1 && (sio ?? 0) >= 1.25 },
  });
  for (const rate of config.fixedRates) {
    results.define({
      id: `fanout.p50.${rate}.${n}`,
      label: `p50 latency at ${rate / 1000}k/s, N=${n}`,
      unit: 'ms',
      better: 'lower',
    });
    results.define({
      id: `fanout.p99.${rate}.${n}`,
      label: `p99 latency at ${rate / 1000}k/s, N=${n}`,
      unit: 'ms',
      better: 'lower',
      target: rate === 50_000 ? { text: '<=1.2x (1)', met: (_r, ws) => ws !== null && ws <= 1.2 } : undefined,
    });
    results.define({
      id: `fanout.cpu.${rate}.${n}`,
      label: `Server CPU per delivery at ${rate / 1000}k/s, N=${n}`,
      unit: 'us',
      better: 'lower',
      target: { text: '<=1.0x (1)', met: (_r, ws) => ws !== null && ws <= 1 },
      // Issue #14: encryption may cost the hub no more than it costs a bare ws server, within 1.3x.
      tlsTarget: { text: '<=1.3x (5)', met: (wsTls) => wsTls !== null && wsTls <= 1.3 },
    });
    // No target: shows how much of the row above is the event loop and how much other threads
    // (the hub's synced writes run in the thread pool).
    results.define({
      id: `fanout.cpuMain.${rate}.${n}`,
      label: `... of it on the event-loop thread, ${rate / 1000}k/s, N=${n}`,
      unit: 'us',
      better: 'lower',
    });
  }
  results.define({
    id: `fanout.cpuSaturated.${n}`,
    label: `Server CPU per delivery at saturation, N=${n}`,
    unit: 'us',
    better: 'lower',
  });
}
