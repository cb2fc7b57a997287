import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { nodeLogFs, SEGMENT_O_DSYNC, type LogFs } from './logFs';
import type { MessageDraft } from './ConversationLog';

/** Shared by the log's tests only. */

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'roost-log-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function draft(n: number, sender = 'alice'): MessageDraft {
  return {
    clientMsgId: `msg-${String(n).padStart(6, '0')}`,
    senderUserId: sender,
    senderDeviceId: `${sender}-laptop`,
    text: `hello number ${n}`,
  };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

export type Deferred<T = void> = { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void };

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function collectWarnings(): { warn: (message: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (message) => messages.push(message), messages };
}

export function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure, ${syscall}`), { code, syscall });
}

/** O_DSYNC as the kernel reports it in /proc/self/fdinfo; fs.constants may lack it off Linux. */
const O_DSYNC_BIT = 0o10000;

/**
 * Whether the kernel will make every write(2) to this handle durable before it returns (Linux only: read from /proc).
 */
export function hasDsyncFlag(handle: FileHandle): boolean {
  const info = readFileSync(`/proc/self/fdinfo/${handle.fd}`, 'utf8');
  const flags = /^flags:\s*([0-7]+)$/m.exec(info)?.[1];
  return flags !== undefined && (parseInt(flags, 8) & O_DSYNC_BIT) !== 0;
}

type FailureMode = { error: NodeJS.ErrnoException; landed: 'none' | 'half' | 'all' };

/**
 * Wraps the real LogFs. Counts durable writes, and counts separately those
 * that really were durable when they returned: made to a handle the kernel
 * syncs on every write (O_DSYNC), or followed by an fdatasync where the
 * platform has no O_DSYNC (SEGMENT_O_DSYNC is 0). Can hold writes in flight
 * after their data reached the file but before they report it durable (to
 * observe what queues behind a commit) and fail the next write or truncate
 * (ENOSPC or EIO, with none, half or all of the data in the file).
 */
export class FsProbe {
  writes = 0;
  /** Writes that were on stable storage when they returned; every write that resolves should be. */
  durableWrites = 0;
  writeSizes: number[] = [];
  private hold: Deferred | null = null;
  private waitingForCalls: Array<{ count: number; done: Deferred }> = [];
  private failures: Partial<Record<'write' | 'truncate', FailureMode>> = {};

  readonly fs: Partial<LogFs> = {
    writeDurable: async (handle: FileHandle, data: Buffer, position: number) => {
      this.writes += 1;
      this.writeSizes.push(data.length);
      for (const w of this.waitingForCalls) if (this.writes >= w.count) w.done.resolve();
      const failure = this.takeFailure('write');
      if (failure) {
        // Like a full disk (part lands, then ENOSPC) or a failing one (all lands, the sync reports EIO).
        if (failure.landed !== 'none')
          await nodeLogFs.writeDurable(
            handle,
            failure.landed === 'all' ? data : data.subarray(0, Math.floor(data.length / 2)),
            position,
          );
        if (this.hold) await this.hold.promise;
        throw failure.error;
      }
      await nodeLogFs.writeDurable(handle, data, position);
      if (this.hold) await this.hold.promise;
      if (SEGMENT_O_DSYNC === 0 || hasDsyncFlag(handle)) this.durableWrites += 1;
    },
    truncate: async (handle: FileHandle, length: number) => {
      const failure = this.takeFailure('truncate');
      if (failure) throw failure.error;
      await nodeLogFs.truncate(handle, length);
    },
  };

  /** Writes, once their data is in the file, wait until release() before they report it durable. */
  holdWrites(): void {
    this.hold ??= deferred();
  }

  release(): void {
    this.hold?.resolve();
    this.hold = null;
  }

  /** Resolves once `count` durable writes have started in total. */
  writesStarted(count: number): Promise<void> {
    const done = deferred();
    if (this.writes >= count) done.resolve();
    else this.waitingForCalls.push({ count, done });
    return done.promise;
  }

  failNext(op: 'write' | 'truncate', code = 'ENOSPC', landed: FailureMode['landed'] = 'half'): void {
    this.failures[op] = { error: errnoError(code, op), landed };
  }

  private takeFailure(op: 'write' | 'truncate'): FailureMode | undefined {
    const failure = this.failures[op];
    delete this.failures[op];
    return failure;
  }
}

export async function segmentFiles(conversationDir: string, ext: 'jsonl' | 'idx'): Promise<string[]> {
  return (await readdir(conversationDir)).filter((name) => name.endsWith(`.${ext}`)).sort();
}

export async function fileLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

/** Linux: descriptors this process has open on segment files under `root`, as the kernel counts them. */
export function openSegmentDescriptors(root: string): number {
  if (process.platform !== 'linux') return 0;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(root) && target.endsWith('.jsonl')) count += 1;
    } catch {
      // Closed between the listing and the readlink.
    }
  }
  return count;
}
