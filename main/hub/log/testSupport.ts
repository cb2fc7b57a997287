import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { nodeLogFs, type LogFs } from './logFs';
import type { MessageDraft } from './ConversationLog';

/** Shared by the log's tests only. */

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'roost-log-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function draft(n: number, sender = 'alice'): MessageDraft {
  return { clientMsgId: `msg-${String(n).padStart(6, '0')}`, senderUserId: sender, senderDeviceId: `${sender}-laptop`, text: `hello number ${n}` };
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

/**
 * Counts write and fdatasync calls, and can hold datasyncs until released
 * (to observe what queues behind an in-flight commit) and fail the next
 * write/datasync/truncate (to inject ENOSPC or EIO).
 */
export class FsProbe {
  writes = 0;
  datasyncs = 0;
  writeSizes: number[] = [];
  private hold: Deferred | null = null;
  private waitingForCalls: Array<{ count: number; done: Deferred }> = [];
  private failures: Partial<Record<'write' | 'datasync' | 'truncate', { error: NodeJS.ErrnoException; partial: boolean }>> = {};

  readonly fs: Partial<LogFs> = {
    write: async (handle: FileHandle, data: Buffer, position: number) => {
      this.writes += 1;
      this.writeSizes.push(data.length);
      const failure = this.takeFailure('write');
      if (failure) {
        // Like a full disk: part of the data lands, then the write fails.
        if (failure.partial) await nodeLogFs.write(handle, data.subarray(0, Math.floor(data.length / 2)), position);
        throw failure.error;
      }
      await nodeLogFs.write(handle, data, position);
    },
    datasync: async (handle: FileHandle) => {
      this.datasyncs += 1;
      for (const w of this.waitingForCalls) if (this.datasyncs >= w.count) w.done.resolve();
      if (this.hold) await this.hold.promise;
      const failure = this.takeFailure('datasync');
      if (failure) throw failure.error;
      await nodeLogFs.datasync(handle);
    },
    truncate: async (handle: FileHandle, length: number) => {
      const failure = this.takeFailure('truncate');
      if (failure) throw failure.error;
      await nodeLogFs.truncate(handle, length);
    },
  };

  /** Datasyncs wait until release() from now on. */
  holdDatasyncs(): void {
    this.hold ??= deferred();
  }

  release(): void {
    this.hold?.resolve();
    this.hold = null;
  }

  /** Resolves once `count` datasyncs have started in total. */
  datasyncsStarted(count: number): Promise<void> {
    const done = deferred();
    if (this.datasyncs >= count) done.resolve();
    else this.waitingForCalls.push({ count, done });
    return done.promise;
  }

  failNext(op: 'write' | 'datasync' | 'truncate', code = 'ENOSPC', partial = true): void {
    this.failures[op] = { error: errnoError(code, op), partial };
  }

  private takeFailure(op: 'write' | 'datasync' | 'truncate'): { error: NodeJS.ErrnoException; partial: boolean } | undefined {
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
