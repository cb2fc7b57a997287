import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBounded } from './runBounded';

/** Gone, or exited and waiting to be reaped (kill(pid, 0) still succeeds on a zombie). */
function ended(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
}

describe('runBounded', () => {
  it('reports success, and a failure with the tail of its output', async () => {
    await expect(runBounded('sh', ['-c', 'exit 0'], 10_000)).resolves.toEqual({ ok: true });
    await expect(runBounded('sh', ['-c', 'echo one; echo two >&2; exit 3'], 10_000)).resolves.toEqual({
      ok: false,
      why: 'exit 3',
      tail: expect.stringMatching(/one[\s\S]*two/) as unknown,
    });
    await expect(runBounded('/nonexistent/command', [], 10_000)).resolves.toMatchObject({ ok: false });
  });

  it.runIf(process.platform === 'linux')(
    'on its deadline ends what the command started, not only the command',
    async () => {
      const pidFile = `/tmp/roost-bounded-${process.pid}-${Date.now()}`;
      const result = await runBounded('sh', ['-c', `sleep 60 & echo $! > ${pidFile}; wait`], 300);
      expect(result).toMatchObject({ ok: false, why: expect.stringMatching(/no result within/) as unknown });
      const grandchild = Number(readFileSync(pidFile, 'utf8'));
      await expect.poll(() => ended(grandchild)).toBe(true);
    },
  );
});
