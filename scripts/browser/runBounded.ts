/**
 * Runs an install command with no input and a deadline, quietly unless it fails. On the deadline
 * the whole process group gets SIGTERM, then SIGKILL: apt-get runs dpkg and Playwright's installer
 * forks a downloader, and killing only the direct child would leave those running (or dpkg holding
 * its lock).
 */
import { spawn, type SpawnOptions } from 'node:child_process';

const KILL_GRACE_MS = 15_000;
const KEPT_OUTPUT_BYTES = 64 * 1024;

export type BoundedResult = { ok: true } | { ok: false; why: string; tail: string };

export function runBounded(
  command: string,
  args: string[],
  timeoutMs: number,
  options: Pick<SpawnOptions, 'env'> = {},
): Promise<BoundedResult> {
  return new Promise((resolve) => {
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-KEPT_OUTPUT_BYTES);
    };
    // detached: its own process group, so one signal reaches everything it started.
    const child = spawn(command, args, {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let timedOut = false;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);
    const finish = (result: BoundedResult) => {
      clearTimeout(deadline);
      clearTimeout(killTimer);
      resolve(result);
    };
    const tail = () => output.trim().split('\n').slice(-3).join(' | ');
    child.on('error', (err) => finish({ ok: false, why: err.message, tail: '' }));
    child.on('close', (code, signal) => {
      if (code === 0 && !timedOut) return finish({ ok: true });
      const why = timedOut ? `no result within ${Math.round(timeoutMs / 1000)} s` : `exit ${code ?? signal}`;
      finish({ ok: false, why, tail: tail() });
    });
  });
}
