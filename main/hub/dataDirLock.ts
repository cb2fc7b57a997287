/**
 * One hub per data directory. Two hubs on one directory would interleave writes
 * to the same registry and message logs, so the second one must refuse to start.
 *
 * The lock is `<dataDir>/hub.lock`, holding {pid, startedAt, hostname, processStart}. A lock
 * whose process is gone (SIGKILL, power loss) is stale and taken over.
 *
 * A pid is reused once its process is gone, so "a process with this pid is alive" does not mean
 * "the hub that wrote the lock is alive". On Linux the lock also names the process's start time
 * (the boot's id and field 22 of /proc/<pid>/stat, fixed for the life of a process): a live
 * process with another start time is an unrelated one, and the lock is stale. macOS and Windows
 * have no /proc and Node offers no other process's start time, so there a lock whose pid was
 * reused by a live process still refuses the start, with a message saying to delete the lock if
 * no hub runs. A lock written by an older hub, without processStart, is judged by its pid alone.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const DATA_DIR_LOCKED = 'DATA_DIR_LOCKED';
export const LOCK_FILE_NAME = 'hub.lock';

export type DataDirLock = { release: () => Promise<void> };
export type DataDirLockedError = Error & { code: typeof DATA_DIR_LOCKED; dataDir: string; pid: number };

const LockFileSchema = z.object({
  pid: z.int().positive(),
  startedAt: z.string(),
  hostname: z.string(),
  processStart: z.string().optional(),
});
type LockFile = z.infer<typeof LockFileSchema>;

/**
 * Path and exact contents of the locks this process holds or is creating. A lock naming our own pid
 * but absent here was left by an earlier process that got the same pid (common for pid 1
 * in containers), so it is stale rather than ours.
 */
const heldByThisProcess = new Set<string>();
const heldKey = (lockPath: string, raw: string) => `${lockPath}\n${raw}`;

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else (unless it is a zombie).
    return errorCode(err) === 'EPERM' && procStat(pid)?.state !== 'Z';
  }
  return procStat(pid)?.state !== 'Z';
}

/**
 * Linux only (/proc); undefined elsewhere or once the process is gone. State 'Z' is a zombie: a hub
 * killed with its process group stays one until its parent reaps it, and kill(pid, 0) succeeds on
 * it, but it holds nothing any more, so it must not keep the next hub out (elsewhere a zombie
 * counts as alive until reaped). `start` is the boot's id and the start time in ticks since boot.
 */
function procStat(pid: number | 'self'): { state: string; start: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Start times count from boot: with the boot's id, one from before a reboot never matches one after.
  let boot = '';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Some containers hide /proc/sys: the start time alone still tells processes apart within a boot.
  }
  // "pid (comm) state ...": comm may itself hold spaces and parentheses, so read after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  return { state: fields[0] ?? '', start: `${boot}/${fields[19] ?? ''}` };
}

/** The lock's writer is alive: its pid is, and (where that can be known) it started when the lock says. */
function isHolderAlive(holder: LockFile): boolean {
  if (!isAlive(holder.pid)) return false;
  if (holder.processStart === undefined) return true;
  const start = procStat(holder.pid)?.start;
  return start === undefined || start === holder.processStart;
}

function lockedError(dataDir: string, holder: LockFile): DataDirLockedError {
  const where = holder.hostname === hostname() ? '' : ` on host ${holder.hostname}`;
  const message =
    `Another Roost hub (pid ${holder.pid}${where}) is already using ${dataDir}. ` +
    `Stop it or choose another --data-dir. If no Roost hub runs ${where ? 'there' : 'on this machine'}, ` +
    `delete ${join(dataDir, LOCK_FILE_NAME)}.`;
  return Object.assign(new Error(message), { code: DATA_DIR_LOCKED, dataDir, pid: holder.pid } as const);
}

/**
 * Creates the lock file with complete contents or not at all. Writing in place with
 * O_EXCL would leave a moment where the file exists but is empty; a hub starting then
 * would read it as garbled, call it stale and take it over, and two hubs would run.
 * link() fails with EEXIST exactly like O_EXCL, but publishes an already-written file.
 */
async function createExclusive(lockPath: string, contents: string): Promise<void> {
  const tmpPath = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmpPath, contents, { flag: 'wx', mode: 0o600 });
  try {
    await link(tmpPath, lockPath);
  } catch (err) {
    // Filesystems without hard links (FAT, some network mounts): fall back to O_EXCL.
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(err) ?? '')) throw err;
    await writeFile(lockPath, contents, { flag: 'wx', mode: 0o600 });
  } finally {
    await unlink(tmpPath).catch(() => {});
  }
}

/** The current lock's raw text and parsed holder (null when garbled), or null if there is no lock. */
async function readLock(lockPath: string): Promise<{ raw: string; holder: LockFile | null } | null> {
  let raw: string;
  try {
    raw = await readFile(lockPath, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { raw, holder: null };
  }
  const parsed = LockFileSchema.safeParse(json);
  return { raw, holder: parsed.success ? parsed.data : null };
}

function isHeldByLiveHub(lockPath: string, raw: string, holder: LockFile | null): holder is LockFile {
  if (!holder) return false;
  // Another host's pid cannot be checked from here, so it is presumed alive.
  if (holder.hostname !== hostname()) return true;
  if (holder.pid === process.pid) return heldByThisProcess.has(heldKey(lockPath, raw));
  return isHolderAlive(holder);
}

/** Removes a stale lock, but only if it is still the one judged stale (another hub may have replaced it). */
async function removeIfUnchanged(lockPath: string, staleRaw: string): Promise<void> {
  const current = await readLock(lockPath);
  if (current?.raw !== staleRaw) return;
  await unlink(lockPath).catch((err: unknown) => {
    if (errorCode(err) !== 'ENOENT') throw err;
  });
}

function holdLock(lockPath: string, ours: string): DataDirLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        const current = await readLock(lockPath);
        // Someone deleted ours and another hub took over: leave theirs alone.
        if (current?.raw !== ours) return;
        await unlink(lockPath).catch((err: unknown) => {
          if (errorCode(err) !== 'ENOENT') throw err;
        });
      } finally {
        // Only now, so an acquire racing this release still sees the lock as held.
        heldByThisProcess.delete(heldKey(lockPath, ours));
      }
    },
  };
}

/**
 * Takes the data directory for this process, creating the directory if missing.
 * Rejects with code DATA_DIR_LOCKED while another live hub holds it.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  // Private to the hub's user: it holds the messages and the device token hashes.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lockPath = join(dir, LOCK_FILE_NAME);
  const ours = JSON.stringify({
    pid: process.pid,
    startedAt: new Date().toISOString(),
    hostname: hostname(),
    processStart: procStat('self')?.start,
  } satisfies LockFile);
  const key = heldKey(lockPath, ours);
  // An identical acquire already under way in this process (same millisecond) must lose.
  if (heldByThisProcess.has(key)) throw lockedError(dir, JSON.parse(ours) as LockFile);
  // Marked before creating, so a concurrent acquire in this process sees it as live, not stale.
  heldByThisProcess.add(key);
  try {
    return await createOrTakeOver(dir, lockPath, ours);
  } catch (err) {
    heldByThisProcess.delete(key);
    throw err;
  }
}

async function createOrTakeOver(dir: string, lockPath: string, ours: string): Promise<DataDirLock> {
  // "Unlink and retry once": the first try may find a stale lock, removed before the second.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await createExclusive(lockPath, ours);
      return holdLock(lockPath, ours);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    const existing = await readLock(lockPath);
    if (existing && isHeldByLiveHub(lockPath, existing.raw, existing.holder)) throw lockedError(dir, existing.holder);
    if (existing) await removeIfUnchanged(lockPath, existing.raw);
  }
  // Lost the race for a stale lock to something that left no readable live holder either.
  throw Object.assign(new Error(`Could not take over the lock ${lockPath}. If no Roost hub is running, delete it.`), {
    code: DATA_DIR_LOCKED,
    dataDir: dir,
  });
}
