/**
 * Replaces a small file so that, once the returned promise resolves, the new
 * contents survive a power cut, and until then the old contents stay intact.
 * Used for registry.json (device token hashes, revocations) and the desktop
 * app's settings.json.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';

export type DurableFileHandle = {
  write: (buffer: Uint8Array, offset: number, length: number, position: number) => Promise<{ bytesWritten: number }>;
  sync: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * The file operations a durable write is made of. Injectable so tests can
 * record their order, hold one of them, or fail one with ENOSPC.
 */
export type DurableFs = {
  open: (file: string, flags: string, mode?: number) => Promise<DurableFileHandle>;
  rename: (from: string, to: string) => Promise<void>;
  unlink: (file: string) => Promise<void>;
  readFile: (file: string, encoding: 'utf8') => Promise<string>;
  chmod: (file: string, mode: number) => Promise<void>;
};

export const nodeDurableFs: DurableFs = nodeFs;

export type DurableWriteOptions = {
  fs?: DurableFs;
  /** Whether the directory can be fsynced is a property of the platform; tests choose one. */
  platform?: NodeJS.Platform;
  /** Mode of the new file (it replaces the old one, so an old file's wider mode does not survive). */
  mode?: number;
};

/**
 * Temp file beside the target (a rename is atomic only within one file
 * system) → write → fsync → rename over the target → fsync the directory.
 * Without the first fsync a power cut can leave the new name on an empty
 * file; without the second, the rename itself can be lost, so an answered
 * change (a device token just handed out) silently rolls back.
 *
 * Windows cannot fsync a directory: Windows documents no directory flush,
 * and FlushFileBuffers on the read-only handle fs.open(dir, 'r') gives fails
 * (it needs write access). Node's rename there is libuv's fs__rename, which
 * calls MoveFileExW(MOVEFILE_REPLACE_EXISTING) without MOVEFILE_WRITE_THROUGH;
 * Node offers no way to ask for that flag or for ReplaceFileW, and Microsoft
 * documents the flag only for moves done as copy and delete anyway.
 * Guaranteed there: the data is flushed before the rename, so the target is
 * never a torn or empty file; on NTFS, which journals the rename, it is after
 * a power cut either the old complete file or the new one. Not guaranteed:
 * that the rename is on disk when the write resolves, so a change answered
 * shortly before a power cut can come back as the previous version. As the
 * best effort available, the renamed file is then flushed through a writable
 * handle, which on NTFS may also commit the journal holding the rename;
 * Microsoft does not document that, so it is not counted on. FAT and exFAT
 * (USB sticks) journal nothing, so not even the old-or-new rule holds there.
 */
export async function writeFileDurably(
  file: string,
  data: string | Uint8Array,
  options: DurableWriteOptions = {},
): Promise<void> {
  const fs = options.fs ?? nodeDurableFs;
  const platform = options.platform ?? process.platform;
  const dir = path.dirname(file);
  // Unique, so a write never opens another writer's (or a crashed process's) temp file.
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await fs.open(temp, 'wx', options.mode ?? 0o600);
    created = true;
    await writeAndSync(handle, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await renameOver(fs, temp, file, platform);
  } catch (err) {
    // A full disk must leave neither a stray temp file nor a changed target. Never retried in
    // place: after a failed fsync Linux may have dropped the unwritten pages and report the next one clean.
    if (created) await fs.unlink(temp).catch(() => {});
    throw err;
  }
  // Failing here leaves the new file in place but maybe not durable; the caller is told it failed.
  if (platform !== 'win32') return syncPath(fs, dir, 'r');
  // Windows: a best effort that nothing counts on (see above). The new file is already in place, so a
  // scanner or indexer holding it (EBUSY, EPERM) must not turn a completed replace into a failure.
  await syncPath(fs, file, 'r+').catch(() => {});
}

/** Closes the handle in every case; a close error only counts when nothing failed before it. */
async function writeAndSync(handle: DurableFileHandle, bytes: Uint8Array): Promise<void> {
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
  await handle.close();
}

async function writeAll(handle: DurableFileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  // Near a full disk the kernel may take part of a write; the rest then fails with ENOSPC.
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, done);
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}

async function syncPath(fs: DurableFs, target: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await fs.open(target, flags);
  try {
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
  await handle.close();
}

/** Windows refuses to replace a file another process has open without delete sharing (virus scanners, indexers). */
const WINDOWS_BUSY = new Set(['EPERM', 'EACCES', 'EBUSY']);
const WINDOWS_RENAME_ATTEMPTS = 10;
const WINDOWS_RENAME_RETRY_MS = 100;

async function renameOver(fs: DurableFs, from: string, to: string, platform: NodeJS.Platform): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const busy = platform === 'win32' && WINDOWS_BUSY.has((err as NodeJS.ErrnoException).code ?? '');
      if (!busy || attempt >= WINDOWS_RENAME_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, WINDOWS_RENAME_RETRY_MS));
    }
  }
}
