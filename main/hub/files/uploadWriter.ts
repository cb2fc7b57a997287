import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Why a body stopped before its end: more bytes than the upload's length, no space, the client went, or an error. */
export type WriteStop = 'tooLong' | 'full' | 'cut' | 'failed';

export type WriteOutcome = {
  /** Bytes of the part after this body: each of them written and hashed (and fsynced, unless `syncFailed`). */
  offset: number;
  stop?: WriteStop;
  error?: unknown;
  /** The final fsync failed: what is on disk is unknown, so the hash must be made again from it. */
  syncFailed?: boolean;
};

export type WriteJob = {
  file: string;
  offset: number;
  length: number;
  /** The hash of the part's first `offset` bytes; fed every byte written. */
  hash: Hash;
  body: AsyncIterable<unknown>;
  /**
   * Bytes this body may write before it asks again, set aside for it (0: the disk is down to its reserve).
   * Asked before the first byte and each time the last answer is used up; each answer is given back through
   * `release` once used up or when the body ends.
   */
  room: () => Promise<number>;
  release: (granted: number) => void;
  /** Each time bytes are written (for HEAD while the body is still arriving). */
  onWritten?: (offset: number) => void;
};

/** Most bytes one answer of `room` grants: statfs is cheap, and 8 MiB at LAN speed is a fraction of a second. */
export const SPACE_CHECK_BYTES = 8 * 1024 * 1024;

/**
 * Appends a request body to an upload's part file at `offset`, hashing while writing, and fsyncs before it
 * returns, whatever stopped it: what arrived before a cut connection stays, and the next PATCH goes on from it.
 * Never writes past `length`. The body is read, never destroyed here, so the caller can still answer.
 */
export async function writeBody(job: WriteJob): Promise<WriteOutcome> {
  const handle = await open(job.file, 'r+');
  const outcome: WriteOutcome = { offset: job.offset };
  try {
    await appendAll(handle, job, outcome);
  } finally {
    try {
      await handle.sync();
    } catch (err) {
      outcome.syncFailed = true;
      outcome.stop ??= isNoSpace(err) ? 'full' : 'failed';
      outcome.error ??= err;
    }
    await handle.close().catch(() => {});
  }
  return outcome;
}

async function appendAll(handle: FileHandle, job: WriteJob, outcome: WriteOutcome): Promise<void> {
  const space = { granted: await job.room(), left: 0 };
  space.left = space.granted;
  try {
    await appendWithin(handle, job, outcome, space);
  } finally {
    job.release(space.granted);
  }
}

/**
 * Writes the body, never more than the space granted: a chunk is split where the grant ends and the rest
 * waits for the next grant, so uploads running at once cannot together write into the disk's reserve.
 */
async function appendWithin(
  handle: FileHandle,
  job: WriteJob,
  outcome: WriteOutcome,
  space: { granted: number; left: number },
): Promise<void> {
  if (space.left <= 0) return void (outcome.stop = 'full');
  const chunks = job.body[Symbol.asyncIterator]();
  // Bounded by the body: every turn consumes one chunk of it or stops.
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await chunks.next();
    } catch (err) {
      outcome.stop = 'cut';
      outcome.error = err;
      return;
    }
    if (next.done) return;
    const chunk = next.value as Buffer;
    const room = job.length - outcome.offset;
    let piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    // Bounded by the piece: every turn writes part of it, or stops.
    while (piece.length > 0) {
      if (space.left <= 0) {
        job.release(space.granted);
        // Zero while asking: if asking fails, the caller's release must not give the old grant back twice.
        space.granted = space.left = 0;
        const granted = await job.room();
        space.granted = space.left = granted;
        if (space.left <= 0) return void (outcome.stop = 'full');
      }
      const part = piece.subarray(0, space.left);
      try {
        await writeAt(handle, part, outcome.offset);
      } catch (err) {
        // A partial write leaves bytes that were never hashed: cut them off so the part matches its hash.
        await handle.truncate(outcome.offset).catch(() => {});
        outcome.stop = isNoSpace(err) ? 'full' : 'failed';
        outcome.error = err;
        return;
      }
      job.hash.update(part);
      outcome.offset += part.length;
      space.left -= part.length;
      piece = piece.subarray(part.length);
      job.onWritten?.(outcome.offset);
    }
    if (chunk.length > room) return void (outcome.stop = 'tooLong');
  }
}

async function writeAt(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  // Near a full disk the kernel may take part of a write; the rest then fails with ENOSPC.
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}

export function isNoSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** A SHA-256 fed with the first `bytes` bytes of `file`: an upload continued after a restart hashes what it has. */
export async function hashPrefix(file: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes === 0) return hash;
  let seen = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) {
    hash.update(chunk as Buffer);
    seen += (chunk as Buffer).length;
  }
  if (seen !== bytes) throw new Error(`${file} has ${seen} bytes, expected ${bytes}`);
  return hash;
}
