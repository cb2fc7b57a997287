import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DATA_DIR_LOCKED, LOCK_FILE_NAME } from './dataDirLock';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'roost-lock-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** A pid that certainly belonged to a process and is now gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('child had no pid');
  return child.pid;
}

describe('acquireDataDirLock', () => {
  it('creates the directory and a lock naming this process, removes it on release, and can take it again', async () => {
    const dataDir = join(root, 'nested', 'data');
    const lock = await acquireDataDirLock(dataDir);
    const contents = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8'));
    expect(contents).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Number.isNaN(Date.parse(contents.startedAt))).toBe(false);

    await lock.release();
    expect(await exists(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    await lock.release(); // a second release is harmless

    const again = await acquireDataDirLock(dataDir);
    await again.release();
  });

  it('refuses a second hub while the first (this live process) holds the lock', async () => {
    const lock = await acquireDataDirLock(root);
    const refused = await acquireDataDirLock(root).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).toMatchObject({ code: DATA_DIR_LOCKED, pid: process.pid, dataDir: root });
    expect((refused as Error).message).toBe(
      `Another Roost hub (pid ${process.pid}) is already using ${root}. Stop it or choose another --data-dir. ` +
        `If no Roost hub runs on this machine, delete ${join(root, LOCK_FILE_NAME)}.`,
    );
    await lock.release();
  });

  it('lets only one of two concurrent acquires win', async () => {
    const results = await Promise.allSettled([acquireDataDirLock(root), acquireDataDirLock(root)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: DATA_DIR_LOCKED });
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });

  it('refuses while another live process holds the lock', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    try {
      await once(other, 'spawn');
      const lock = { pid: other.pid, startedAt: new Date().toISOString(), hostname: hostname() };
      await writeFile(join(root, LOCK_FILE_NAME), JSON.stringify(lock));
      const refused = await acquireDataDirLock(root).catch((err: unknown) => err);
      expect(refused).toMatchObject({ code: DATA_DIR_LOCKED, pid: other.pid });
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a stale lock left by a process that died', async () => {
    const pid = await deadPid();
    const lockPath = join(root, LOCK_FILE_NAME);
    await writeFile(lockPath, JSON.stringify({ pid, startedAt: new Date(0).toISOString(), hostname: hostname() }));
    const lock = await acquireDataDirLock(root);
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose holder is a zombie not yet reaped', async () => {
    // `sleep 0` exits at once, and its parent has exec'd into `sleep 30`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number(line.toString().trim());
      // A loaded machine may take more than the default second to let `sleep 0` exit.
      await expect
        .poll(() => readFile(`/proc/${zombie}/stat`, 'utf8').then((s) => s.split(') ')[1]?.[0]), { timeout: 10_000 })
        .toBe('Z');
      await writeFile(
        join(root, LOCK_FILE_NAME),
        JSON.stringify({ pid: zombie, startedAt: 'x', hostname: hostname() }),
      );
      const lock = await acquireDataDirLock(root);
      expect(JSON.parse(await readFile(join(root, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('takes over a lock naming its own pid that it does not hold (an earlier process with the same pid)', async () => {
    const lockPath = join(root, LOCK_FILE_NAME);
    const leftover = JSON.stringify({ pid: process.pid, startedAt: new Date(0).toISOString(), hostname: hostname() });
    await writeFile(lockPath, leftover);
    const lock = await acquireDataDirLock(root);
    expect(await readFile(lockPath, 'utf8')).not.toBe(leftover);
    await lock.release();
  });

  for (const [name, garbage] of [
    ['not JSON', '{"pid": 12'],
    ['empty', ''],
    ['wrong shape', JSON.stringify({ pid: 'me', startedAt: 1 })],
  ]) {
    it(`takes over a garbled lock file (${name})`, async () => {
      await writeFile(join(root, LOCK_FILE_NAME), garbage as string);
      const lock = await acquireDataDirLock(root);
      await lock.release();
    });
  }

  it('refuses a lock held from another host, whose pid it cannot check', async () => {
    await writeFile(
      join(root, LOCK_FILE_NAME),
      JSON.stringify({ pid: 4242, startedAt: new Date().toISOString(), hostname: 'some-other-host' }),
    );
    const refused = await acquireDataDirLock(root).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: DATA_DIR_LOCKED, pid: 4242 });
    expect((refused as Error).message).toMatch(/pid 4242 on host some-other-host.*delete .*hub\.lock/);
  });

  it('release leaves alone a lock that another hub has taken since', async () => {
    const lockPath = join(root, LOCK_FILE_NAME);
    const lock = await acquireDataDirLock(root);
    const theirs = JSON.stringify({ pid: 4242, startedAt: new Date().toISOString(), hostname: 'some-other-host' });
    await writeFile(lockPath, theirs);
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(theirs);
  });

  it.runIf(process.platform === 'linux')(
    'takes over a lock whose pid now belongs to an unrelated process (its start time differs)',
    async () => {
      const unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        await once(unrelated, 'spawn');
        const lockPath = join(root, LOCK_FILE_NAME);
        // What a hub that died before this process got its pid wrote: a start time that is not this process's.
        const leftover = { pid: unrelated.pid, startedAt: new Date(0).toISOString(), hostname: hostname() };
        await writeFile(lockPath, JSON.stringify({ ...leftover, processStart: 'boot-0/1' }));
        const lock = await acquireDataDirLock(root);
        expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
        await lock.release();
      } finally {
        unrelated.kill('SIGKILL');
      }
    },
  );

  it('refuses while a live hub in another process holds the lock it wrote itself', async () => {
    const module = fileURLToPath(new URL('./dataDirLock.ts', import.meta.url));
    const script =
      `const { acquireDataDirLock } = await import(${JSON.stringify(module)});` +
      `await acquireDataDirLock(${JSON.stringify(root)}); console.log('locked'); setInterval(() => {}, 1 << 30);`;
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(holder.stdout, 'data')) as [Buffer];
      expect(line.toString().trim()).toBe('locked');
      const written = JSON.parse(await readFile(join(root, LOCK_FILE_NAME), 'utf8'));
      if (process.platform === 'linux') expect(written.processStart).toMatch(/^[0-9a-f-]+\/\d+$/);
      const refused = await acquireDataDirLock(root).catch((err: unknown) => err);
      expect(refused).toMatchObject({ code: DATA_DIR_LOCKED, pid: holder.pid });
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
