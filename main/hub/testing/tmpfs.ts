import { execFileSync } from 'node:child_process';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cleanups } from './cleanups';

/**
 * Why a small tmpfs cannot be mounted here (mounting needs root or CAP_SYS_ADMIN), or null when it can;
 * the reason is printed for `test`, which then skips its real disk-full cases.
 */
export async function tmpfsSkipReason(test: string): Promise<string | null> {
  const probe = await mkdtemp(path.join(tmpdir(), 'roost-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (err) {
    const reason = `cannot mount a tmpfs (${String((err as { stderr?: Buffer }).stderr ?? err).trim()})`;
    console.log(`${test}: skipping the real disk-full tests: ${reason}`);
    return reason;
  } finally {
    await rmdir(probe);
  }
}

/** A fresh tmpfs of `size` (e.g. "2m"), unmounted by `cleanups`. */
export async function mountTmpfs(size: string, cleanups: Cleanups): Promise<string> {
  const mountPoint = await mkdtemp(path.join(tmpdir(), 'roost-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  cleanups.push(async () => {
    // Lazy: a hub that failed to stop may still hold a file there; the mount goes once it lets go.
    execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    await rmdir(mountPoint);
  });
  return mountPoint;
}
