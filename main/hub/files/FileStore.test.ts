import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../testing/cleanups';
import { tempDirsAfterEach } from '../testing/tempDir';
import { FileClaimError, FileIndexError, type FileStore } from './FileStore';
import { openTestStore, patternBytes, sha256Hex, uploadBytes } from './fileTestSupport';
import { SPACE_CHECK_BYTES } from './uploadWriter';

const tempDir = tempDirsAfterEach('roost-files-');
const cleanups = cleanupsAfterEach();

async function open(dir?: string, overrides: Parameters<typeof openTestStore>[1] = {}) {
  const dataDir = dir ?? (await tempDir());
  const opened = await openTestStore(dataDir, overrides);
  cleanups.push(() => opened.store.close());
  return { ...opened, dataDir };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

const blobsOf = async (dataDir: string) => filesUnder(path.join(dataDir, 'files', 'blobs'));
const partsOf = async (dataDir: string) => filesUnder(path.join(dataDir, 'files', 'uploads'));

function claimError(run: () => unknown): FileClaimError {
  try {
    run();
  } catch (err) {
    if (err instanceof FileClaimError) return err;
    throw err;
  }
  throw new Error('claim did not throw');
}

async function create(store: FileStore, userId: string, length: number): Promise<string> {
  const created = await store.createUpload(userId, 'dev-1', length);
  if (!('id' in created)) throw new Error(created.code);
  return created.id;
}

describe('FileStore', () => {
  it('hashes while writing and stores a finished upload as a private blob named by its SHA-256', async () => {
    const { store, dataDir } = await open();
    const bytes = patternBytes(300_000);
    const id = await uploadBytes(store, 'alice', bytes);
    const sha256 = sha256Hex(bytes);
    await store.claim('alice', 'general/alice/m1', [{ uploadId: id, sha256, size: bytes.length }]);
    const blob = store.blobPath(sha256);
    expect(blob).toBe(path.join(dataDir, 'files', 'blobs', sha256.slice(0, 2), sha256));
    expect(await readFile(blob!)).toEqual(bytes);
    expect((await stat(blob!)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(blob!))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dataDir, 'files', 'index.json'))).mode & 0o777).toBe(0o600);
    expect(await partsOf(dataDir)).toEqual([]);
  });

  it('stores the same bytes once, charges each upload to its user, and keeps the blob while one needs it', async () => {
    const { store, dataDir, clock } = await open();
    const bytes = patternBytes(5000);
    const sha256 = sha256Hex(bytes);
    const a = await uploadBytes(store, 'alice', bytes);
    const b = await uploadBytes(store, 'bob', bytes);
    expect(await blobsOf(dataDir)).toEqual([path.join(sha256.slice(0, 2), sha256)]);
    expect([store.bytesOf('alice'), store.bytesOf('bob')]).toEqual([5000, 5000]);
    await store.claim('alice', 'c/alice/1', [{ uploadId: a, sha256, size: 5000 }]);
    await store.claim('bob', 'c/bob/1', [{ uploadId: b, sha256, size: 5000 }]);
    await store.release('c/alice/1', [a]);
    clock.now += store.limits.graceMs;
    await store.sweep();
    expect(store.bytesOf('alice')).toBe(0);
    expect(await blobsOf(dataDir)).toHaveLength(1);
    await store.release('c/bob/1', [b]);
    clock.now += store.limits.graceMs;
    await store.sweep();
    expect(await blobsOf(dataDir)).toEqual([]);
    expect(store.blobPath(sha256)).toBeUndefined();
  });

  it('refuses an upload over each limit when it is created, writing nothing', async () => {
    const limits = { maxFileBytes: 1000, userBytes: 1500, hubBytes: 2500, maxIncompletePerUser: 2 };
    const { store, dataDir, disk } = await open(undefined, { limits: { ...limits, freeReserveBytes: 100 } });
    expect(await store.createUpload('alice', 'd', 1001)).toMatchObject({ code: 'FILE_TOO_LARGE' });
    await create(store, 'alice', 600);
    await create(store, 'alice', 600);
    expect(await store.createUpload('alice', 'd', 1)).toMatchObject({ code: 'FILE_UPLOADS_TOO_MANY' });
    await uploadBytes(store, 'bob', patternBytes(900));
    expect(await store.createUpload('bob', 'd', 601)).toMatchObject({ code: 'FILE_QUOTA_EXCEEDED' });
    // alice 1200 + bob 900 = 2100: 401 more passes the hub's 2500.
    expect(await store.createUpload('carol', 'd', 401)).toMatchObject({ code: 'HUB_STORAGE_FULL' });
    disk.free = 499;
    expect(await store.createUpload('carol', 'd', 400)).toMatchObject({ code: 'HUB_STORAGE_FULL' });
    expect(await partsOf(dataDir)).toHaveLength(2);
    disk.free = 500;
    expect(await store.createUpload('carol', 'd', 400)).toHaveProperty('id');
  });

  it('uploads at once share the room above the reserve: together they stop at it, not past it', async () => {
    const MiB = 1024 * 1024;
    const capacity = 40 * MiB;
    const reserve = 16 * MiB;
    let dataDir = '';
    // A disk whose free space is what the parts on it leave.
    const statfs = async () => {
      const sizes = await Promise.all(
        (await partsOf(dataDir)).map(async (p) => (await stat(path.join(dataDir, 'files', 'uploads', p))).size),
      );
      return { bavail: capacity - sizes.reduce((a, b) => a + b, 0), bsize: 1 };
    };
    dataDir = await tempDir();
    const { store } = await open(dataDir, { statfs, limits: { freeReserveBytes: reserve } });
    const size = 20 * MiB;
    const ids = await Promise.all([0, 1, 2, 3].map(() => create(store, 'alice', size)));
    // Each body comes in 1 MiB chunks, all four interleaved.
    const results = await Promise.all(
      ids.map((id, n) => store.append(id, 'alice', 0, Readable.from(chunksOf(patternBytes(size, n), MiB)))),
    );
    const offsets = results.map((r) => (r.kind === 'full' ? r.offset : -1));
    expect(offsets.every((offset) => offset >= 0)).toBe(true);
    const written = offsets.reduce((sum, offset) => sum + offset, 0);
    expect(capacity - written).toBeGreaterThanOrEqual(reserve);
    expect(capacity - written).toBeLessThan(reserve + MiB);
  });

  it('stops a PATCH when free space falls under the reserve, keeps what is durable, goes on from there', async () => {
    const { store, disk } = await open(undefined, { limits: { freeReserveBytes: 1000 } });
    const bytes = patternBytes(SPACE_CHECK_BYTES + 4096);
    const id = await create(store, 'alice', bytes.length);
    disk.free = 999;
    expect(await store.append(id, 'alice', 0, Readable.from([bytes]))).toEqual({ kind: 'full', offset: 0 });
    disk.free = 10 ** 9;
    // The disk fills while the first 8 MiB are written: checked again after them.
    const body = Readable.from(
      (function* () {
        yield bytes.subarray(0, SPACE_CHECK_BYTES);
        disk.free = 0;
        yield bytes.subarray(SPACE_CHECK_BYTES);
      })(),
    );
    expect(await store.append(id, 'alice', 0, body)).toEqual({ kind: 'full', offset: SPACE_CHECK_BYTES });
    expect(await store.uploadState(id, 'alice')).toEqual({ offset: SPACE_CHECK_BYTES, length: bytes.length });
    disk.free = 10 ** 9;
    const rest = Readable.from([bytes.subarray(SPACE_CHECK_BYTES)]);
    expect(await store.append(id, 'alice', SPACE_CHECK_BYTES, rest)).toEqual({ kind: 'written', offset: bytes.length });
    await store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(bytes), size: bytes.length }]);
  });

  it('deletes files no message names after the grace period, unclaimed ones and idle parts after the TTL', async () => {
    const { store, dataDir, clock } = await open();
    const named = patternBytes(100, 1);
    const namedId = await uploadBytes(store, 'alice', named);
    const sha256 = sha256Hex(named);
    await store.claim('alice', 'c/alice/1', [{ uploadId: namedId, sha256, size: 100 }]);
    const unclaimedId = await uploadBytes(store, 'alice', patternBytes(100, 2));
    const idleId = await create(store, 'alice', 100);
    await store.release('c/alice/1', [namedId]);
    clock.now += store.limits.graceMs - 1;
    await store.sweep();
    expect(store.blobPath(sha256)).toBeDefined();
    clock.now += 1;
    await store.sweep();
    expect(store.blobPath(sha256)).toBeUndefined();
    expect(await blobsOf(dataDir)).toHaveLength(1);
    expect(() => store.claim('alice', 'c/alice/2', [{ uploadId: namedId, sha256, size: 100 }])).toThrow(FileClaimError);
    clock.now += store.limits.unclaimedTtlMs;
    await store.sweep();
    expect(await blobsOf(dataDir)).toEqual([]);
    expect(await partsOf(dataDir)).toEqual([]);
    expect(await store.uploadState(unclaimedId, 'alice')).toBeUndefined();
    expect(await store.uploadState(idleId, 'alice')).toBeUndefined();
    expect(store.bytesOf('alice')).toBe(0);
  });

  it('a resend that names a released file again keeps it past the grace period', async () => {
    const { store, clock } = await open();
    const bytes = patternBytes(10);
    const id = await uploadBytes(store, 'alice', bytes);
    const attachment = { uploadId: id, sha256: sha256Hex(bytes), size: 10 };
    await store.claim('alice', 'c/alice/1', [attachment]);
    await store.claim('alice', 'c/alice/1', [attachment]);
    await store.release('c/alice/1', [id]);
    await store.claim('alice', 'c/alice/1', [attachment]);
    clock.now += store.limits.graceMs * 100;
    await store.sweep();
    expect(store.blobPath(attachment.sha256)).toBeDefined();
  });

  it('after a restart mid-upload, the bytes already there are hashed again before more are appended', async () => {
    const dataDir = await tempDir();
    const bytes = patternBytes(200_000);
    const first = await openTestStore(dataDir);
    const id = await create(first.store, 'alice', bytes.length);
    await first.store.append(id, 'alice', 0, Readable.from([bytes.subarray(0, 123_457)]));
    await first.store.close();
    const { store } = await open(dataDir);
    expect(await store.uploadState(id, 'alice')).toEqual({ offset: 123_457, length: bytes.length });
    await store.append(id, 'alice', 123_457, Readable.from([bytes.subarray(123_457)]));
    await store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(bytes), size: bytes.length }]);
    expect(await readFile(store.blobPath(sha256Hex(bytes))!)).toEqual(bytes);
  });

  it('never serves a partial upload; a torn tail after a crash is caught by the hash check at send', async () => {
    const dataDir = await tempDir();
    const bytes = patternBytes(4000);
    const first = await openTestStore(dataDir);
    const id = await create(first.store, 'alice', bytes.length);
    await first.store.append(id, 'alice', 0, Readable.from([bytes.subarray(0, 3000)]));
    expect(first.store.blobPath(sha256Hex(bytes))).toBeUndefined();
    expect(await blobsOf(dataDir)).toEqual([]);
    await first.store.close();
    // A power cut left garbage where the last 1000 bytes were being written, then the rest arrived.
    const part = path.join(dataDir, 'files', 'uploads', id);
    await writeFile(part, Buffer.concat([bytes.subarray(0, 2000), Buffer.alloc(1000, 0)]));
    const { store } = await open(dataDir);
    expect(await store.uploadState(id, 'alice')).toEqual({ offset: 3000, length: 4000 });
    await store.append(id, 'alice', 3000, Readable.from([bytes.subarray(3000)]));
    const attachment = { uploadId: id, sha256: sha256Hex(bytes), size: bytes.length, name: 'a.bin' };
    expect(claimError(() => store.claim('alice', 'k', [attachment]))).toMatchObject({
      code: 'FILE_HASH_MISMATCH',
      fileName: 'a.bin',
    });
  });

  it('finishes at open an upload whose last byte was written before a crash', async () => {
    const dataDir = await tempDir();
    const bytes = patternBytes(1000);
    const first = await openTestStore(dataDir);
    const id = await create(first.store, 'alice', bytes.length);
    await first.store.close();
    await appendFile(path.join(dataDir, 'files', 'uploads', id), bytes);
    const { store } = await open(dataDir);
    expect(await store.uploadState(id, 'alice')).toEqual({ offset: 1000, length: 1000 });
    await store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(bytes), size: 1000 }]);
  });

  it('claim refuses a hash known to the hub but not uploaded by this user, and a mismatch', async () => {
    const { store } = await open();
    const bytes = patternBytes(64);
    const sha256 = sha256Hex(bytes);
    const alices = await uploadBytes(store, 'alice', bytes);
    const bobsUnfinished = await create(store, 'bob', 64);
    await store.append(bobsUnfinished, 'bob', 0, Readable.from([bytes.subarray(0, 10)]));
    for (const uploadId of [alices, bobsUnfinished, 'AAAAAAAAAAAAAAAAAAAAAA'])
      expect(claimError(() => store.claim('bob', 'k', [{ uploadId, sha256, size: 64 }])).code).toBe(
        'FILE_NOT_UPLOADED',
      );
    const wrongHash = { uploadId: alices, sha256: sha256Hex(Buffer.from('x')), size: 64 };
    expect(claimError(() => store.claim('alice', 'k', [wrongHash])).code).toBe('FILE_HASH_MISMATCH');
    const wrongSize = { uploadId: alices, sha256, size: 65 };
    expect(claimError(() => store.claim('alice', 'k', [wrongSize])).code).toBe('FILE_HASH_MISMATCH');
    // A refused claim takes no reference, even for the entries before the bad one.
    const good = { uploadId: alices, sha256, size: 64 };
    expect(() => store.claim('alice', 'k', [good, wrongHash])).toThrow(FileClaimError);
    await store.deleteUpload(alices, 'alice');
    expect(store.blobPath(sha256)).toBeUndefined();
  });

  it('PATCH: offset must match, one at a time, nothing kept past the length, other users see nothing', async () => {
    const { store } = await open();
    const id = await create(store, 'alice', 100);
    expect(await store.append(id, 'alice', 5, Readable.from([Buffer.alloc(5)]))).toEqual({
      kind: 'offsetMismatch',
      offset: 0,
    });
    expect(await store.append(id, 'bob', 0, Readable.from([Buffer.alloc(5)]))).toEqual({ kind: 'notFound' });
    expect(await store.uploadState(id, 'bob')).toBeUndefined();
    const slow = new Readable({ read() {} });
    const first = store.append(id, 'alice', 0, slow);
    expect(await store.append(id, 'alice', 0, Readable.from([Buffer.alloc(5)]))).toEqual({ kind: 'busy' });
    slow.push(Buffer.alloc(60, 1));
    slow.push(Buffer.alloc(60, 2));
    slow.push(null);
    expect(await first).toEqual({ kind: 'tooLong', offset: 100 });
    const expected = Buffer.concat([Buffer.alloc(60, 1), Buffer.alloc(40, 2)]);
    await store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(expected), size: 100 }]);
  });

  it('DELETE drops an unfinished upload and its part; one a message names stays', async () => {
    const { store, dataDir } = await open();
    const unfinished = await create(store, 'alice', 100);
    const bytes = patternBytes(10);
    const named = await uploadBytes(store, 'alice', bytes);
    await store.claim('alice', 'k', [{ uploadId: named, sha256: sha256Hex(bytes), size: 10 }]);
    expect(await store.deleteUpload(unfinished, 'bob')).toBe(false);
    expect(await store.deleteUpload(unfinished, 'alice')).toBe(true);
    expect(await store.deleteUpload(named, 'alice')).toBe(true);
    expect(await partsOf(dataDir)).toEqual([]);
    expect(store.blobPath(sha256Hex(bytes))).toBeDefined();
  });

  it('a damaged index.json stops the store with a message naming the file and what to do', async () => {
    const dataDir = await tempDir();
    const first = await openTestStore(dataDir);
    await first.store.close();
    const file = path.join(dataDir, 'files', 'index.json');
    await writeFile(file, '{"version":1,"uploads":{"x":{}}');
    await expect(openTestStore(dataDir)).rejects.toThrow(FileIndexError);
    await writeFile(file, JSON.stringify({ version: 1, uploads: { AAAAAAAAAAAAAAAAAAAAAA: { userId: 'a' } } }));
    await expect(openTestStore(dataDir)).rejects.toThrow(/index\.json is damaged \(uploads\.AAAA.*move it away/);
  });

  it('an empty file is finished when it is created', async () => {
    const { store } = await open();
    const id = await create(store, 'alice', 0);
    expect(await store.uploadState(id, 'alice')).toEqual({ offset: 0, length: 0 });
    await store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(Buffer.alloc(0)), size: 0 }]);
  });
});

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
