import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PairingFailure, PairingState } from '../../shared/hub/pairingState';
import { pairRequest } from '../hub/testing/devicePairing';
import { TestClient } from '../hub/testing/TestClient';
import { startTestHub } from '../hub/testing/testHub';
import { makeTempDir } from '../hub/testing/tempDir';
import { failureSummary, printPairing } from './pairingOutput';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let removers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const r of removers) await r();
  removers = [];
});

/** Runs the hub CLI as `npm run hub` does and collects what it prints. */
function runCli(args: string[], { until }: { until?: RegExp } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/hub.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const matched = new Promise<string>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until?.test(out)) resolve(out);
    });
  });
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
  return { child, matched, exited };
}

describe('npm run hub', () => {
  it('prints where to connect and the pairing code, and stops cleanly on SIGTERM', async () => {
    const temp = await makeTempDir('roost-cli-');
    removers.push(temp.remove);
    const hub = runCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', temp.dir, '--name', 'Attic', '--no-mdns'], {
      until: /Press Ctrl\+C/,
    });
    const out = await hub.matched;
    expect(out).toContain('Roost hub "Attic" is running');
    expect(out).toMatch(/Listening on port \d+/);
    expect(out).toMatch(/https:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(/Hub identity \(compare it when a device asks\): ([A-Z2-7]{4}-){12}[A-Z2-7]{4}\n/);
    expect(out).toMatch(
      /One-time join link \(valid until [^)]+\): https:\/\/127\.0\.0\.1:\d+\/#join=[\w-]+&id=[A-Z2-7]{52}/,
    );
    expect(out).toMatch(/Pairing code: \d{3} \d{3} \(pairing open until /);
    expect(out).toContain(temp.dir);

    // A second hub on the same data directory is refused with a clear message.
    const second = runCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', temp.dir, '--no-mdns']);
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/already using/);

    hub.child.kill('SIGTERM');
    const done = await hub.exited;
    expect(done.code).toBe(0);
    expect(done.out).toContain('stopped cleanly');
  });

  it('explains bad options and exits with status 2', async () => {
    const bad = await runCli(['--port', 'seventy']).exited;
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--port');
    expect(bad.err).toContain('Usage:');
  });
});

describe('printPairing', () => {
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

  it('prints the code, then that pairing closed by itself and how to open it again, until unsubscribed', async () => {
    const { hub, cleanup } = await startTestHub({ pairing: { windowMs: 150 } });
    removers.push(cleanup);
    const code = hub.pairingCode();
    const lines: string[] = [];
    let closed!: () => void;
    const closedPrinted = new Promise<void>((resolve) => (closed = resolve));
    const unsubscribe = printPairing(
      hub,
      (line) => {
        lines.push(line);
        if (/Pairing closed/.test(line)) closed();
      },
      { clock },
    );
    await closedPrinted;
    expect(lines[0]).toBe(
      `  Pairing code: ${code.code.slice(0, 3)} ${code.code.slice(3)} (pairing open until ${clock(code.expiresAt)})`,
    );
    expect(lines[1]).toMatch(
      /^ {2}Pairing closed at [\d:]+: codes are refused, join links still work\. Run `npm run hub -- pairing open`/,
    );
    expect(lines).toHaveLength(2);

    unsubscribe();
    hub.openPairing();
    expect(lines).toHaveLength(2);
  });

  it('prints failed attempts as at most one summary line per period, counting every one', async () => {
    const { hub, cleanup } = await startTestHub();
    removers.push(cleanup);
    const PERIOD = 300;
    const GUESSES = 12;
    const lines: string[] = [];
    const counted = () =>
      lines.reduce((sum, line) => sum + Number(/^ {2}(\d+) failed pairing/.exec(line)?.[1] ?? 0), 0);
    let allCounted!: () => void;
    const done = new Promise<void>((resolve) => (allCounted = resolve));
    const started = Date.now();
    const off = printPairing(
      hub,
      (line) => {
        lines.push(line);
        if (counted() === GUESSES) allCounted();
      },
      { summaryEveryMs: PERIOD, clock },
    );
    removers.push(async () => off());
    const client = await TestClient.connect(hub.port);
    removers.push(() => client.close());
    await client.hello();
    const wrong = hub.pairingCode().code === '000000' ? '000001' : '000000';
    for (let i = 0; i < GUESSES; i++)
      await pairRequest(client, {
        credential: { kind: 'code', code: wrong, displayName: 'Eve' },
        device: { name: 'x', platform: 'web' },
      });
    await done;
    const summaries = lines.filter((line) => /failed pairing/.test(line));
    expect(summaries.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / PERIOD));
    expect(summaries.join('\n')).toMatch(/wrong code from 127\.0\.0\.1/);
    expect(summaries.join('\n')).toMatch(/code refused unseen \(locked out or over a limit\) from 127\.0\.0\.1/);
  });
});

describe('failureSummary', () => {
  const state = (recentFailures: PairingFailure[], failedAttempts: number): PairingState => ({
    open: false,
    wrongGuesses: 0,
    maxWrongGuesses: 500,
    failedAttempts,
    recentFailures,
  });
  const line = (address: string, count: number, outcome: PairingFailure['outcome'] = 'wrong'): PairingFailure => ({
    address,
    kind: 'code',
    outcome,
    count,
    lastAt: 0,
  });

  it('names what is new since the last summary, newest first, three at most', () => {
    const reported = new Map([['10.0.0.1 code wrong', 2]]);
    const now = state(
      [
        line('10.0.0.4', 1, 'closed'),
        line('10.0.0.3', 1),
        line('10.0.0.2', 3),
        line('10.0.0.1', 5),
        line('10.0.0.5', 1),
      ],
      9,
    );
    expect(failureSummary(now, reported, 9)).toBe(
      '  9 failed pairing attempts: code while pairing was closed from 10.0.0.4, wrong code from 10.0.0.3, ' +
        'wrong code from 10.0.0.2 (3), 2 more.',
    );
  });
});
