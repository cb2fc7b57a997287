/**
 * One hub per data directory. Two hubs on one directory would interleave writes
 * to the same registry and message logs, so the second one must refuse to start.
 *
 * The lock is `<dataDir>/hub.lock`, holding {pid, startedAt, hostname}. A lock
 * whose process is gone (SIGKILL, power loss) is stale and taken over.
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
    return errorCode(err) === 'EPERM' && !isZombie(pid);
  }
  return !isZombie(pid);
}

/**
 * A hub killed with its process group stays a zombie until its parent reaps it, and kill(pid, 0)
 * succeeds on a zombie. It holds nothing any more, so it must not keep the next hub out.
 * Linux only (/proc); elsewhere a zombie counts as alive until it is reaped.
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (comm) state ...": comm may itself hold spaces and parentheses, so read after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

function lockedError(dataDir: string, holder: LockFile): DataDirLockedError {
  const where = holder.hostname === hostname() ? '' : ` on host ${holder.hostname}`;
  const message =
    `Another Roost hub (pid ${holder.pid}${where}) is already using ${dataDir}. ` +
    `Stop it or choose another --data-dir.` +
    (where ? ` If no hub runs there, delete ${join(dataDir, LOCK_FILE_NAME)}.` : '');
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
  await writeFile(tmpPath, contents, { flag: 'wx' });
  try {
    await link(tmpPath, lockPath);
  } catch (err) {
    // Filesystems without hard links (FAT, some network mounts): fall back to O_EXCL.
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(err) ?? '')) throw err;
    await writeFile(lockPath, contents, { flag: 'wx' });
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
  return isAlive(holder.pid);
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
  const ours = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), hostname: hostname() });
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
