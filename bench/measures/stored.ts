import path from 'node:path';
import type { BenchConfig } from '../config';
import { buildStoredFixture, type StoredFixture } from '../fixtures/storedMessages';
import { startLoadGenerator, startServer, stopLoadGenerator, stopServer, type ServerProcess } from '../processes';
import type { Results } from '../report/Results';

/**
 * What only the Roost hub does, so only it has numbers here: durable appends
 * with 1k and 1M messages already stored (runs interleaved between the two
 * hubs), catch-up of a device that missed 100k messages, and start-up time
 * with the large log.
 */
export async function measureStored(
  config: BenchConfig,
  results: Results,
  tempDir: string,
  log: (line: string) => void,
): Promise<void> {
  const { small, large } = config.stored;
  defineMetrics(config, results);
  let t0 = performance.now();
  // Appends add to what is stored, so every window on the small log gets a conversation of its own:
  // it starts at `small`, not at what earlier windows left.
  // The large one is shared: it only grows past `large` (by about 200k messages per full-mode run).
  const smallFixture = await buildStoredFixture(path.join(tempDir, 'stored-small'), small, (config.runs + 1) * 2);
  const largeFixture = await buildStoredFixture(path.join(tempDir, 'stored-large'), large);
  log(`  stored ${small} and ${large} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const fixtures: Array<[string, StoredFixture]> = [
    [label(small), smallFixture],
    [label(large), largeFixture],
  ];
  const servers = new Map<StoredFixture, ServerProcess>();
  const load = startLoadGenerator('stored');
  try {
    for (const [, fixture] of fixtures) servers.set(fixture, await startServer('roost', fixture.dataDir));
    for (let run = 0; run <= config.runs; run++) {
      for (const [name, fixture] of fixtures) {
        const append = (mode: 'saturate' | 'fixed') =>
          load.request(
            {
              type: 'appends',
              port: servers.get(fixture)!.port,
              device: fixture.writer,
              conversationId: conversationFor(fixture, run, mode),
              mode,
              messagesPerSec: mode === 'fixed' ? config.appends.offered : 0,
              window: config.appends.window,
              warmupMs: config.appends.warmupMs,
              measureMs: config.appends.measureMs,
            },
            'appends',
          );
        const closed = await append('saturate');
        const open = await append('fixed');
        // Run 0 warms the JIT and the page cache and is not counted.
        if (run === 0) continue;
        for (const [prefix, { stats }] of [
          ['appends', closed],
          ['appendsOffered', open],
        ] as const) {
          if (stats.unacked > 0)
            results.notes.push(
              `appends with ${name} stored, run ${run}: ${stats.unacked} sends still unacknowledged ` +
                `after the window; the next window shared the hub with them`,
            );
          const offered = stats.sent / stats.seconds;
          if (prefix === 'appendsOffered' && offered < config.appends.offered * 0.98) {
            results.notes.push(
              `appends with ${name} stored, run ${run}: ` +
                `the load generator offered only ${Math.round(offered)}/s of ${config.appends.offered}/s`,
            );
          }
          const rate = stats.acks / stats.seconds;
          results.add(`${prefix}.rate.${name}`, 'roost', rate);
          if (stats.p50Ms !== null) results.add(`${prefix}.p50.${name}`, 'roost', stats.p50Ms);
          if (stats.p99Ms !== null) results.add(`${prefix}.p99.${name}`, 'roost', stats.p99Ms);
          const what =
            prefix === 'appends' ? `${config.appends.window} in flight` : `${config.appends.offered / 1000}k/s offered`;
          log(
            `  run ${run} appends with ${name} stored, ${what}: ${Math.round(rate)}/s, ` +
              `ack p50 ${stats.p50Ms?.toFixed(2)} ms, p99 ${stats.p99Ms?.toFixed(2)} ms`,
          );
        }
      }
    }

    const largeServer = servers.get(largeFixture)!;
    for (let run = 1; run <= config.runs; run++) {
      const c = await load.request(
        {
          type: 'catchUp',
          port: largeServer.port,
          device: largeFixture.reader,
          conversationId: largeFixture.conversationIds[0]!,
          missed: config.catchUpMissed,
        },
        'catchUp',
      );
      results.add('catchUp.ms', 'roost', c.ms);
      log(`  run ${run} catch-up of ${c.messages} messages in ${c.pages} pages: ${c.ms.toFixed(0)} ms`);
    }
  } finally {
    for (const server of servers.values()) await stopServer(server);
    servers.clear();
    await stopLoadGenerator(load);
  }

  for (let run = 1; run <= config.runs; run++) {
    t0 = performance.now();
    const server = await startServer('roost', largeFixture.dataDir);
    await stopServer(server);
    results.add('startup.hubStart', 'roost', server.startMs);
    results.add('startup.process', 'roost', server.spawnToListenMs);
    log(
      `  run ${run} start-up with ${large}+ stored: Hub.start ${server.startMs.toFixed(0)} ms, ` +
        `process spawn to listening ${server.spawnToListenMs.toFixed(0)} ms`,
    );
  }
}

/** The fixture's conversation for one window: its own when the fixture has one per window, else the shared one. */
function conversationFor(fixture: StoredFixture, run: number, mode: 'saturate' | 'fixed'): string {
  const ids = fixture.conversationIds;
  return ids.length === 1 ? ids[0]! : ids[run * 2 + (mode === 'fixed' ? 1 : 0)]!;
}

function label(count: number): string {
  return count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`;
}

function defineMetrics(config: BenchConfig, results: Results): void {
  for (const count of [config.stored.small, config.stored.large]) {
    const name = label(count);
    results.define({
      id: `appends.rate.${name}`,
      label: `Durable appends, ${name} stored (${config.appends.window} in flight)`,
      unit: 'msg/s',
      better: 'higher',
      target: { text: '>=50k', met: (r) => r >= 50_000 },
    });
    results.define({
      id: `appends.p50.${name}`,
      label: `Ack latency p50, ${name} stored`,
      unit: 'ms',
      better: 'lower',
    });
    results.define({
      id: `appends.p99.${name}`,
      label: `Ack latency p99, ${name} stored`,
      unit: 'ms',
      better: 'lower',
      target: { text: '<5 ms', met: (r) => r < 5 },
    });
    // The same target read the other way: sends offered at a fixed rate, whatever comes back;
    // latency includes waiting in the client's socket when the hub falls behind.
    const offered = `${config.appends.offered / 1000}k/s offered`;
    results.define({
      id: `appendsOffered.rate.${name}`,
      label: `Durable appends, ${name} stored (${offered})`,
      unit: 'msg/s',
      better: 'higher',
      // Stored at least as fast as offered, give or take the clock's granularity, and the offered rate is the target's.
      target: {
        text: '>=50k (98% of offered)',
        met: (r) => config.appends.offered >= 50_000 && r >= config.appends.offered * 0.98,
      },
    });
    results.define({
      id: `appendsOffered.p50.${name}`,
      label: `Ack latency p50, ${name} stored, ${offered}`,
      unit: 'ms',
      better: 'lower',
    });
    results.define({
      id: `appendsOffered.p99.${name}`,
      label: `Ack latency p99, ${name} stored, ${offered}`,
      unit: 'ms',
      better: 'lower',
      target: { text: '<5 ms', met: (r) => r < 5 },
    });
  }
  results.define({
    id: 'catchUp.ms',
    label: `Catch-up of ${config.catchUpMissed / 1000}k missed messages`,
    unit: 'ms',
    better: 'lower',
    target: { text: '<2000 ms', met: (r) => r < 2000 },
  });
  results.define({
    id: 'startup.hubStart',
    label: `Hub start-up, ${label(config.stored.large)}+ stored (Hub.start)`,
    unit: 'ms',
    better: 'lower',
    target: { text: '<1000 ms', met: (r) => r < 1000 },
  });
  results.define({
    id: 'startup.process',
    label: 'Hub process spawn to listening (incl. Node + tsx boot)',
    unit: 'ms',
    better: 'lower',
  });
}
