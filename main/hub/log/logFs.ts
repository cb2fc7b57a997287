import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * The few file operations whose failure the log must survive. Injectable so
 * tests can check that every acknowledged write was durable, hold a commit
 * in flight, and make a write fail with ENOSPC or EIO on demand.
 */
export type LogFs = {
  /**
   * Opens a segment for appending with `writeDurable`: read-write, created
   * if `create`, never truncated.
   */
  openSegment(path: string, create: boolean): Promise<FileHandle>;
  /**
   * Writes all of `data` at `position` of a handle from `openSegment` and
   * returns only once it is on stable storage. A short write is continued,
   * not reported. On failure any part of `data` may be in the file, durable
   * or not.
   */
  writeDurable(handle: FileHandle, data: Buffer, position: number): Promise<void>;
  /** Cuts the file to `length` bytes and makes the new size durable. */
  truncate(handle: FileHandle, length: number): Promise<void>;
  /** Makes a directory's entries (a newly created file) durable. */
  syncDir(path: string): Promise<void>;
};

/**
 * O_DSYNC makes each write(2) return only once its data (and the file size it
 * grew to) is on stable storage: the same guarantee as write + fdatasync, in
 * one syscall and so one thread-pool round trip per commit instead of two.
 * Used on Linux only: Windows has no O_DSYNC, and on macOS libuv's fdatasync
 * is F_FULLFSYNC (drive cache flushed), which O_DSYNC is not.
 */
export const SEGMENT_O_DSYNC: number = process.platform === 'linux' ? (constants.O_DSYNC ?? 0) : 0;

async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  // Near a full disk the kernel may take part of a write; the rest then fails with ENOSPC.
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}

export const nodeLogFs: LogFs = {
  async openSegment(path, create) {
    return open(path, constants.O_RDWR | (create ? constants.O_CREAT : 0) | SEGMENT_O_DSYNC, 0o600);
  },
  async writeDurable(handle, data, position) {
    await writeAll(handle, data, position);
    if (SEGMENT_O_DSYNC === 0) await handle.datasync();
  },
  async truncate(handle, length) {
    await handle.truncate(length);
    // O_DSYNC covers write(2) only, not ftruncate: the new size needs its own sync.
    await handle.datasync();
  },
  async syncDir(path) {
    const dir = await open(path, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  },
};
