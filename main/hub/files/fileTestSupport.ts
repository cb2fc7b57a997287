import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { HubLogger } from '../HubContext';
import { FileStore, type FileStoreOptions } from './FileStore';

/** For the file store's tests: a store on a temp dir with a clock and a disk the test controls. */

export type TestDisk = { free: number };
export type TestClock = { now: number };

export function recordingLogger(): HubLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m, err) => void lines.push(`error ${m} ${String(err)}`),
  };
}

export async function openTestStore(
  dataDir: string,
  overrides: Partial<FileStoreOptions> = {},
): Promise<{ store: FileStore; clock: TestClock; disk: TestDisk; logger: ReturnType<typeof recordingLogger> }> {
  const clock = { now: 1_000_000 };
  const disk = { free: 100 * 1024 ** 3 };
  const logger = recordingLogger();
  const store = await FileStore.open({
    dataDir,
    now: () => clock.now,
    logger,
    statfs: () => Promise.resolve({ bavail: disk.free, bsize: 1 }),
    ...overrides,
  });
  return { store, clock, disk, logger };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes that differ at every position, so a misplaced or repeated chunk changes the hash. */
export function patternBytes(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return bytes;
}

/** A whole upload in one PATCH; returns its id. */
export async function uploadBytes(
  store: FileStore,
  userId: string,
  bytes: Buffer,
  deviceId = 'dev-1',
): Promise<string> {
  const created = await store.createUpload(userId, deviceId, bytes.length);
  if (!('id' in created)) throw new Error(`upload refused: ${created.code}`);
  const result = await store.append(created.id, userId, 0, Readable.from([bytes]));
  expect(result).toEqual({ kind: 'written', offset: bytes.length });
  return created.id;
}
