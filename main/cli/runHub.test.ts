import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PairingCode } from '../hub/pairing/PairingGate';
import { startTestHub } from '../hub/testing/testHub';
import { makeTempDir } from '../hub/testing/tempDir';
import { printPairingCodes } from './runHub';

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
    expect(out).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(/Pairing code: \d{3} \d{3}/);
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

describe('printPairingCodes', () => {
  it('prints the code, then each one the hub makes at expiry without being asked, until unsubscribed', async () => {
    const { hub, cleanup } = await startTestHub({ pairing: { codeTtlMs: 150 } });
    removers.push(cleanup);
    const lines: string[] = [];
    let printedTwo!: () => void;
    const twoPrinted = new Promise<void>((resolve) => (printedTwo = resolve));
    const first = hub.pairingCode();
    const unsubscribe = printPairingCodes(hub, (line) => {
      lines.push(line);
      if (lines.length === 2) printedTwo();
    });
    await twoPrinted;
    const second = hub.pairingCode();
    expect(second.code).not.toBe(first.code);
    const shown = (code: PairingCode) => `  Pairing code: ${code.code.slice(0, 3)} ${code.code.slice(3)} (valid until `;
    expect(lines[0]).toContain(shown(first));
    expect(lines[1]).toContain(shown(second));

    unsubscribe();
    const next = await new Promise<PairingCode>((resolve) => {
      const off = hub.onPairingCodeChange((code) => {
        off();
        resolve(code);
      });
    });
    expect(next.code).not.toBe(second.code);
    expect(lines).toHaveLength(2);
  });
});
