import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeConfig, FULL, QUICK, type BenchConfig } from './config';
import { filesConfigFor } from './files/filesConfig';
import { FileResults } from './files/FileResults';
import { ServerKindSchema } from './ipc/messages';
import { measureFanout } from './measures/fanout';
import { measureFiles } from './measures/files';
import { measureMemory } from './measures/memory';
import { measureStored } from './measures/stored';
import { Results } from './report/Results';
import { formatTable } from './report/table';

/**
 * `npm run bench -- [--quick] [--only=fanout,memory,stored,files] [--receivers=100,1000] [--servers=wsTls,roostTls]
 * [--runs=5] [--rates=10000,50000] [--file-size=64MiB]` (or BENCH_FILE_SIZE=64MiB): every server under test and
 * the load generator in processes of their own, loopback only, runs interleaved; prints the tables and writes
 * bench/results/latest.json.
 */
const PARTS = ['fanout', 'memory', 'stored', 'files'] as const;
type Part = (typeof PARTS)[number];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config: BenchConfig = { ...(args.includes('--quick') ? QUICK : FULL) };
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',') as Part[] | undefined;
  const receivers = args.find((a) => a.startsWith('--receivers='))?.slice(12);
  if (receivers) config.receivers = receivers.split(',').map(Number);
  const runs = args.find((a) => a.startsWith('--runs='))?.slice(7);
  if (runs) config.runs = Number(runs);
  const rates = args.find((a) => a.startsWith('--rates='))?.slice(8);
  if (rates) config.fixedRates = rates.split(',').map(Number);
  const servers = args.find((a) => a.startsWith('--servers='))?.slice(10);
  if (servers) config.servers = servers.split(',').map((k) => ServerKindSchema.parse(k));
  const wanted = (part: Part) => !only || only.includes(part);
  const filesConfig = filesConfigFor(config.mode === 'quick', args, process.env);

  const started = performance.now();
  const log = (line: string) =>
    console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'roost-bench-'));
  const results = new Results();
  const fileResults = new FileResults();
  log(`Roost benchmark, ${config.mode} mode (${describeConfig(config)}), data in ${tempDir}`);
  try {
    if (wanted('fanout')) {
      for (const n of config.receivers) {
        log(`fan-out to ${n} receivers`);
        await measureFanout(config, results, n, tempDir, log);
      }
    }
    if (wanted('memory')) {
      log(`server memory per idle device (${config.idleDevices.join(', ')} devices)`);
      await measureMemory(config, results, tempDir, log);
    }
    if (wanted('stored')) {
      log(`Roost only: durable appends, catch-up, start-up`);
      await measureStored(config, results, tempDir, log);
    }
    if (wanted('files')) {
      log(`files over HTTPS: the hub against a plain Node HTTPS server`);
      await measureFiles(filesConfig, fileResults, tempDir, log);
    }
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const table = results.metrics.length > 0 ? formatTable(results) : '';
  if (table) console.log(`\n${table}\n`);
  const filesTable = fileResults.metrics.length > 0 ? fileResults.formatTable() : '';
  if (filesTable) console.log(`\n${filesTable}\n`);
  for (const note of results.notes) console.log(`note: ${note}`);
  log(`done in ${seconds.toFixed(0)} s, ${config.mode} mode: ${describeConfig(config)}`);
  const outDir = path.join(import.meta.dirname, 'results');
  await mkdir(outDir, { recursive: true });
  const files = filesTable ? { config: filesConfig, metrics: fileResults.toJson(), table: filesTable } : undefined;
  const json = { ...toJson(config, results, seconds, table), files };
  await writeFile(path.join(outDir, 'latest.json'), JSON.stringify(json, null, 2));
}

function toJson(config: BenchConfig, results: Results, seconds: number, table: string) {
  const kinds = ServerKindSchema.options;
  return {
    when: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    config,
    seconds,
    metrics: results.metrics.map((m) => ({
      ...m,
      target: m.target?.text,
      tlsTarget: m.tlsTarget?.text,
      servers: Object.fromEntries(kinds.map((k) => [k, results.summary(m.id, k)]).filter(([, s]) => s)),
      ratios: {
        wsFrameVsWs: results.ratio(m.id, 'wsFrame', 'ws'),
        socketioVsWs: results.ratio(m.id, 'socketio', 'ws'),
        roostVsWs: results.ratio(m.id, 'roost', 'ws'),
        roostVsSocketio: results.ratio(m.id, 'roost', 'socketio'),
        wsFrameVsSocketio: results.ratio(m.id, 'wsFrame', 'socketio'),
        wsVsSocketio: results.ratio(m.id, 'ws', 'socketio'),
        roostTlsVsWsTls: results.ratio(m.id, 'roostTls', 'wsTls'),
        wsTlsVsWs: results.ratio(m.id, 'wsTls', 'ws'),
        roostTlsVsRoost: results.ratio(m.id, 'roostTls', 'roost'),
      },
    })),
    notes: results.notes,
    table,
  };
}

main().catch((err: unknown) => {
  console.error('benchmark failed:', err);
  process.exit(1);
});
