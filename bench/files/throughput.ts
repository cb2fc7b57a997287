import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fileDownloadPath } from '../../shared/protocol';
import type { FilesConfig } from './filesConfig';
import { formatSize } from './filesConfig';
import type { FileResults, FileSide } from './FileResults';
import { cpuOf, type CpuReading, type FileServer } from './fileServers';
import { downloadHashed, httpsCall, loopbackAgent } from './httpsClient';
import type { HubFileClient } from './hubFileClient';
import { writePatternFile } from './pattern';

export type ThroughputContext = {
  config: FilesConfig;
  results: FileResults;
  hub: FileServer;
  peer: FileServer;
  /** Where the peer stores what it receives: emptied after each run. */
  peerDir: string;
  /** Where each run's source file is written. */
  workDir: string;
  /** The uploading device, connected to the hub. */
  device: HubFileClient;
  conversationId: string;
  log: (line: string) => void;
};

/** The untimed first round: JIT, TLS session set-up and the hub's file store warm, at a size that costs little. */
const WARMUP_BYTES = 32 * 1024 * 1024;

/** No transfer may take longer than this: a minute, plus the file at 2 MB/s. */
function timeoutMs(bytes: number): number {
  return 60_000 + Math.round(bytes / 2000);
}

/**
 * Upload, then download, of one large file, hub and peer in turn within each run (which goes first alternates),
 * each run with a file of its own (the hub stores a content once). Timed from the first request to the last
 * answer: for the hub the tus POST and every PATCH, for the peer one PUT; then one GET each, hashed and checked.
 */
export async function measureThroughput(ctx: ThroughputContext): Promise<void> {
  const { config, results } = ctx;
  defineMetrics(config, results);
  for (let run = 0; run <= config.runs; run++) {
    const bytes = run === 0 ? Math.min(config.fileBytes, WARMUP_BYTES) : config.fileBytes;
    const source = path.join(ctx.workDir, `source-${run}`);
    const file: SourceFile = { path: source, bytes, sha256: await writePatternFile(source, bytes, run + 1) };
    const sides: FileSide[] = run % 2 === 1 ? ['hub', 'peer'] : ['peer', 'hub'];
    try {
      const stored = new Map<FileSide, Stored>();
      for (const side of sides) {
        const server = serverOf(ctx, side);
        const upload = side === 'hub' ? () => uploadToHub(ctx, file, run) : () => uploadToPeer(ctx, file, run);
        const { seconds, cpu, where } = await measured(server, upload);
        stored.set(side, where);
        record(ctx, run, side, 'upload', bytes, seconds, cpu);
      }
      for (const side of sides) {
        const server = serverOf(ctx, side);
        const { seconds, cpu } = await measured(server, () => download(server.port, stored.get(side)!, file));
        record(ctx, run, side, 'download', bytes, seconds, cpu);
      }
    } finally {
      await rm(file.path, { force: true });
      await rm(path.join(ctx.peerDir, peerName(run)), { force: true });
    }
  }
}

type SourceFile = { path: string; bytes: number; sha256: string };
/** What the peer answers a PUT with: what it stored. */
const PeerStoredSchema = z.object({ bytes: z.number(), sha256: z.string() });
/** Where an uploaded file downloads from, with the headers that may. */
type Stored = { path: string; headers: Record<string, string> };

function serverOf(ctx: ThroughputContext, side: FileSide): FileServer {
  return side === 'hub' ? ctx.hub : ctx.peer;
}

function peerName(run: number): string {
  return `run-${run}`;
}

/** tus into the hub, then `send` naming the upload (untimed), so that it downloads like any attachment. */
async function uploadToHub(ctx: ThroughputContext, file: SourceFile, run: number) {
  const agent = loopbackAgent();
  try {
    const signal = AbortSignal.timeout(timeoutMs(file.bytes));
    const session = await ctx.device.openSession(agent, signal);
    const source = { file: file.path, size: file.bytes };
    const t0 = performance.now();
    const uploadId = await ctx.device.upload({ agent, session, signal, chunkBytes: ctx.config.chunkBytes }, source);
    const seconds = (performance.now() - t0) / 1000;
    const { sha256, bytes: size } = file;
    const attachment = { uploadId, sha256, name: `bench-${run}.bin`, size, type: 'application/octet-stream' };
    const seq = await ctx.device.send(ctx.conversationId, [attachment]);
    const where = {
      path: fileDownloadPath(ctx.conversationId, seq, 0),
      headers: { Authorization: `Roost-Session ${session}` },
    };
    return { seconds, where };
  } finally {
    agent.destroy();
  }
}

/** One PUT of the whole file; the peer answers the hash of what it stored. */
async function uploadToPeer(ctx: ThroughputContext, file: SourceFile, run: number) {
  const agent = loopbackAgent();
  const where = { path: `/files/${peerName(run)}`, headers: {} };
  try {
    const t0 = performance.now();
    const answer = await httpsCall({
      agent,
      port: ctx.peer.port,
      method: 'PUT',
      path: where.path,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': file.bytes },
      body: createReadStream(file.path),
      signal: AbortSignal.timeout(timeoutMs(file.bytes)),
    });
    const seconds = (performance.now() - t0) / 1000;
    if (answer.status !== 201) throw new Error(`peer PUT: ${answer.status} ${answer.text.slice(0, 300)}`);
    const stored = PeerStoredSchema.parse(JSON.parse(answer.text));
    if (stored.sha256 !== file.sha256 || stored.bytes !== file.bytes)
      throw new Error(
        `the peer stored ${stored.bytes} bytes, SHA-256 ${stored.sha256}; sent ${file.bytes}, ${file.sha256}`,
      );
    return { seconds, where };
  } finally {
    agent.destroy();
  }
}

async function download(port: number, where: Stored, file: SourceFile) {
  const agent = loopbackAgent();
  try {
    const signal = AbortSignal.timeout(timeoutMs(file.bytes));
    const t0 = performance.now();
    const got = await downloadHashed({ agent, port, path: where.path, headers: where.headers, signal });
    const seconds = (performance.now() - t0) / 1000;
    if (got.status !== 200 || got.bytes !== file.bytes || got.sha256 !== file.sha256)
      throw new Error(
        `GET ${where.path}: ${got.status}, ${got.bytes} bytes, SHA-256 ${got.sha256}; expected ${file.sha256}`,
      );
    return { seconds };
  } finally {
    agent.destroy();
  }
}

/**
 * Runs `transfer` between two readings of the server's CPU time. For the hub they also take in the file session
 * and the `send` around the timed upload: a few ms against seconds of transfer.
 */
async function measured<T extends { seconds: number }>(
  server: FileServer,
  transfer: () => Promise<T>,
): Promise<T & { cpu: CpuReading }> {
  const before = await cpuOf(server);
  const result = await transfer();
  const after = await cpuOf(server);
  const mainThread =
    before.mainThread === null || after.mainThread === null ? null : after.mainThread - before.mainThread;
  return { ...result, cpu: { all: after.all - before.all, mainThread } };
}

function record(
  ctx: ThroughputContext,
  run: number,
  side: FileSide,
  what: 'upload' | 'download',
  bytes: number,
  seconds: number,
  cpu: CpuReading,
): void {
  const mb = bytes / 1e6;
  const cpuMsPerMb = cpu.all / 1000 / mb;
  ctx.log(
    `  ${run === 0 ? 'warm-up' : `run ${run}`} ${side} ${what} of ${formatSize(bytes)}: ` +
      `${(mb / seconds).toFixed(0)} MB/s (${seconds.toFixed(2)} s), server CPU ${cpuMsPerMb.toFixed(2)} ms/MB`,
  );
  if (run === 0) return;
  ctx.results.add(`${what}.rate`, side, mb / seconds);
  ctx.results.add(`${what}.cpu`, side, cpuMsPerMb);
  if (cpu.mainThread !== null) ctx.results.add(`${what}.cpuMain`, side, cpu.mainThread / 1000 / mb);
}

function defineMetrics(config: FilesConfig, results: FileResults): void {
  const size = formatSize(config.fileBytes);
  for (const what of ['upload', 'download'] as const) {
    const how =
      what === 'upload'
        ? `hub: tus, ${formatSize(config.chunkBytes)} PATCHes; peer: one PUT`
        : 'one GET, hashed by the client';
    results.define({
      id: `${what}.rate`,
      label: `${what === 'upload' ? 'Upload' : 'Download'} of ${size} (${how})`,
      unit: 'MB/s',
      better: 'higher',
      target: { text: '>=0.8x peer', met: (r) => r !== null && r >= 0.8 },
    });
    results.define({ id: `${what}.cpu`, label: `Server CPU per MB, ${what}`, unit: 'ms', better: 'lower' });
    results.define({
      id: `${what}.cpuMain`,
      label: `... of it on the event-loop thread, ${what}`,
      unit: 'ms',
      better: 'lower',
    });
  }
}
