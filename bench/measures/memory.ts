import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { BenchConfig } from '../config';
import { writeRegistry } from '../fixtures/roostRegistry';
import type { Credentials, ServerKind } from '../ipc/messages';
import { sleep, startLoadGenerator, startServer, stopLoadGenerator, stopServer } from '../processes';
import type { Results } from '../report/Results';
import { isRoost } from '../serverKinds';

/**
 * Devices connected and closed again before the baseline,
 * so one-time costs (JIT, buffer pools) are not counted per device.
 */
const WARM_UP = 200;
/**
 * Devices per user in the Roost registry. Every ready snapshot lists every
 * user and the default room's members: with one user per device a
 * 5,000-device storm costs O(N^2) bytes and minutes; a few devices per user
 * keeps it short without changing what one connection costs.
 */
const DEVICES_PER_USER = 20;

/**
 * Server RSS per idle connected device: RSS (after GC) with the devices
 * connected minus RSS with none, divided by their number. For Roost the
 * devices are paired and ready (authenticated, receiving pushes); the
 * registry that knows them is loaded in both readings, so only what a
 * connection costs is counted.
 */
export async function measureMemory(
  config: BenchConfig,
  results: Results,
  tempDir: string,
  log: (line: string) => void,
): Promise<void> {
  const counts = config.idleDevices;
  const most = Math.max(...counts);
  for (const count of counts) {
    results.define({
      id: `memory.perDevice.${count}`,
      label: `Server RSS per idle device, ${count} devices`,
      unit: 'KB',
      better: 'lower',
      target: { text: '<=12 KB', met: (roost) => roost <= 12 },
    });
  }
  let roostDevices: Credentials[] = [];

  let roostTemplate = '';
  if (config.servers.some(isRoost)) {
    roostTemplate = path.join(tempDir, 'memory-template');
    // Several devices per user, as in a household: it keeps the ready snapshots of a 5,000-device storm small.
    roostDevices = (await writeRegistry(roostTemplate, { devices: WARM_UP + most, devicesPerUser: DEVICES_PER_USER }))
      .devices;
  }
  for (let run = 1; run <= config.memoryRuns; run++) {
    for (const kind of config.servers) {
      const line = await measureOnce(kind, counts, roostDevices, roostTemplate, tempDir, run, results);
      log(`  run ${run} ${kind}: ${line}`);
    }
  }
}

async function measureOnce(
  kind: ServerKind,
  counts: number[],
  devices: Credentials[],
  template: string,
  tempDir: string,
  run: number,
  results: Results,
): Promise<string> {
  let dataDir: string | undefined;
  if (isRoost(kind)) {
    dataDir = path.join(tempDir, `memory-${kind}-${run}`);
    await cp(template, dataDir, { recursive: true });
  }
  const server = await startServer(kind, dataDir);
  const load = startLoadGenerator(`${kind} idle`);
  const parts: string[] = [];
  try {
    await load.request(
      {
        type: 'idle',
        kind,
        port: server.port,
        pin: server.identity,
        count: WARM_UP,
        devices: isRoost(kind) ? devices.slice(0, WARM_UP) : undefined,
      },
      'done',
    );
    await load.request({ type: 'closeIdle' }, 'done');
    await sleep(500);
    const base = (await server.child.request({ type: 'rss' }, 'rss')).bytes;
    let connected = 0;
    for (const count of [...counts].sort((a, b) => a - b)) {
      const more = count - connected;
      await load.request(
        {
          type: 'idle',
          kind,
          port: server.port,
          pin: server.identity,
          count: more,
          devices: isRoost(kind) ? devices.slice(WARM_UP + connected, WARM_UP + count) : undefined,
        },
        'done',
      );
      connected = count;
      // Let the connection storm's garbage and timers (the hub's 10 s hello timers among them) settle.
      await sleep(1000);
      const rss = (await server.child.request({ type: 'rss' }, 'rss')).bytes;
      const perDevice = (rss - base) / count / 1024;
      results.add(`memory.perDevice.${count}`, kind, perDevice);
      parts.push(`${count}: ${perDevice.toFixed(1)} KB/device`);
    }
  } finally {
    await stopLoadGenerator(load);
    await stopServer(server);
  }
  return parts.join(', ');
}
