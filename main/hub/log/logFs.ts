import { open, type FileHandle } from 'node:fs/promises';

/**
 * The few file operations whose failure the log must survive. Injectable so
 * tests can count fdatasyncs and make a write fail with ENOSPC on demand.
 */
export type LogFs = {
  /** Writes all of `data` at `position`; a short write is continued, not reported. */
  write(handle: FileHandle, data: Buffer, position: number): Promise<void>;
  datasync(handle: FileHandle): Promise<void>;
  /** Cuts the file to `length` bytes and makes the new size durable. */
  truncate(handle: FileHandle, length: number): Promise<void>;
  /** Makes a directory's entries (a newly created file) durable. */
  syncDir(path: string): Promise<void>;
};

export const nodeLogFs: LogFs = {
  async write(handle, data, position) {
    let done = 0;
    // Near a full disk the kernel may take part of a write; the rest then fails with ENOSPC.
    while (done < data.length) {
      const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
      if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
      done += bytesWritten;
    }
  },
  async datasync(handle) {
    await handle.datasync();
  },
  async truncate(handle, length) {
    await handle.truncate(length);
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
