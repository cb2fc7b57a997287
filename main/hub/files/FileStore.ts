import { createHash, randomBytes, type Hash } from 'node:crypto';
import { statfs as nodeStatfs } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { formatBytes } from '../../../shared/protocol';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import type { HubLogger } from '../HubContext';
import { BlobStore } from './blobStore';
import { FileIndex, type UploadRecord } from './fileIndex';
import { FILE_LIMIT_DEFAULTS, type FileLimits } from './fileLimits';
import { hashPrefix, isNoSpace, SPACE_CHECK_BYTES, writeBody, type WriteOutcome } from './uploadWriter';

export type { FileLimits } from './fileLimits';
export { FileIndexError } from './fileIndex';

export type FileClaimCode = 'FILE_NOT_UPLOADED' | 'FILE_HASH_MISMATCH';

/** A `send` named a file that is not the user's finished upload of exactly those bytes. */
export class FileClaimError extends Error {
  constructor(
    readonly code: FileClaimCode,
    readonly uploadId: string,
    /** The name the message gave the file, else its upload id: for the message a person reads. */
    readonly fileName: string,
  ) {
    super(`${code}: upload ${uploadId} ("${fileName}")`);
  }
}

export type UploadRefusalCode = 'FILE_TOO_LARGE' | 'FILE_QUOTA_EXCEEDED' | 'HUB_STORAGE_FULL' | 'FILE_UPLOADS_TOO_MANY';
export type UploadRefusal = { code: UploadRefusalCode; message: string };

/** How a PATCH went (tusRoutes.ts turns each into its answer). */
export type AppendResult =
  | { kind: 'written'; offset: number }
  | { kind: 'notFound' }
  | { kind: 'busy' }
  | { kind: 'offsetMismatch'; offset: number }
  | { kind: 'tooLong' | 'full' | 'cut'; offset: number }
  | { kind: 'failed'; offset: number; error: unknown };

export type UploadState = { offset: number; length: number };

/** statfs as the store needs it; tests give a small disk. */
export type StatFs = (dir: string) => Promise<{ bavail: number; bsize: number }>;

export type FileStoreOptions = {
  dataDir: string;
  now: () => number;
  logger: HubLogger;
  limits?: Partial<FileLimits>;
  statfs?: StatFs;
};

type Attachment = { uploadId: string; sha256: string; size: number; name?: string };
type Busy = { body: Readable; done: Promise<void> };

const SWEEP_EVERY_MS = 60_000;
/** Below this much room above the reserve, a body stops: no crawl of ever smaller writes towards it. */
const MIN_GRANT_BYTES = 64 * 1024;
/** How stale an unfinished upload's last activity may be in the index on disk (touch). */
const ACTIVITY_SAVE_MS = 10 * 60 * 1000;

/**
 * Uploaded files on the hub (appendix F): tus uploads written into parts, each finished one stored once by
 * its SHA-256, and which messages name which upload. An upload belongs to its user: knowing a file's hash
 * never gives access to its bytes, only the user's own upload does. Files no message names are deleted by a
 * sweep (at open and every minute): after `graceMs` once released, after `unclaimedTtlMs` if never named.
 */
export class FileStore {
  readonly limits: FileLimits;
  private readonly busy = new Map<string, Busy>();
  /** When each unfinished upload's activity was last written to the index (touch). */
  private readonly activitySaved = new Map<string, number>();
  /** Bytes granted to bodies being written and not yet given back (grantRoom). */
  private granted = 0;
  /** Each unfinished upload's bytes on disk. */
  private readonly offsets = new Map<string, number>();
  /** The running hash of an unfinished upload and the offset it covers; gone after a restart (then made again). */
  private readonly hashes = new Map<string, { hash: Hash; at: number }>();
  /** Renames into blobs and blob deletions, one at a time: a blob found present cannot vanish before it is used. */
  private readonly fileOps = new SerialQueue();
  private lastSave: Promise<void> = Promise.resolve();
  private sweeping: Promise<void> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly blobs: BlobStore,
    private readonly index: FileIndex,
    private readonly options: FileStoreOptions,
  ) {
    this.limits = { ...FILE_LIMIT_DEFAULTS, ...options.limits };
  }

  static async open(options: FileStoreOptions): Promise<FileStore> {
    const blobs = new BlobStore(path.join(options.dataDir, 'files'));
    await blobs.ensureFolders();
    const index = await FileIndex.load(path.join(blobs.root, 'index.json'));
    const store = new FileStore(blobs, index, options);
    await store.recover();
    await store.sweep();
    store.sweeper = setInterval(() => void store.sweep(), SWEEP_EVERY_MS).unref();
    return store;
  }

  /**
   * For `send`: checks each attachment (upload is this user's, complete, sha256 matches) and records the ref
   * durably; idempotent per ref key. Throws FileClaimError {code: 'FILE_NOT_UPLOADED' | 'FILE_HASH_MISMATCH'}
   * at once (synchronously), before anything changes; the promise settles when the refs are durable.
   */
  claim(userId: string, refKey: string, attachments: readonly Attachment[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the file store is closed'));
    for (const a of attachments) {
      const record = this.index.get(a.uploadId);
      const name = a.name ?? a.uploadId;
      if (!record?.sha256 || record.userId !== userId) throw new FileClaimError('FILE_NOT_UPLOADED', a.uploadId, name);
      if (record.sha256 !== a.sha256 || record.length !== a.size)
        throw new FileClaimError('FILE_HASH_MISMATCH', a.uploadId, name);
    }
    for (const a of attachments) this.index.addRef(a.uploadId, refKey);
    return this.save();
  }

  /**
   * A message was deleted (or its append failed): drops the ref; an upload with no refs left is freed after
   * the grace period.
   */
  async release(refKey: string, uploadIds: readonly string[]): Promise<void> {
    const now = this.options.now();
    for (const id of uploadIds) this.index.dropRef(id, refKey, now);
    await this.save();
  }

  /** Absolute path of a stored blob for download, or undefined. */
  blobPath(sha256: string): string | undefined {
    return this.index.hasContent(sha256) ? this.blobs.blobFile(sha256) : undefined;
  }

  /** Bytes of files charged to this user (each upload counted, even when stored once). */
  bytesOf(userId: string): number {
    return this.index.bytesOf(userId);
  }

  /** tus creation: a new empty upload of `length` bytes, or why not (nothing is written then). */
  async createUpload(userId: string, deviceId: string, length: number): Promise<{ id: string } | UploadRefusal> {
    if (this.closed) throw new Error('the file store is closed');
    const free = await this.freeBytes();
    // No await between the checks and index.add: two creations at once cannot both take the last of a budget.
    // Free space is only a first look (unfinished uploads are not subtracted): the writes' grants keep the reserve.
    const refusal = this.refusalFor(userId, length, free);
    if (refusal) return refusal;
    const id = randomBytes(16).toString('base64url');
    const now = this.options.now();
    this.index.add(id, { userId, deviceId, length, createdAt: now, updatedAt: now, refs: [] });
    this.offsets.set(id, 0);
    try {
      await this.blobs.createPart(id);
      if (length === 0) await this.finish(id, createHash('sha256'));
      await this.save();
    } catch (err) {
      await this.forget([id]).catch(() => {});
      if (isNoSpace(err)) return { code: 'HUB_STORAGE_FULL', message: noSpaceMessage() };
      throw err;
    }
    return { id };
  }

  /** An upload's offset and length, for its user only. Waits for a PATCH whose client went to settle. */
  async uploadState(id: string, userId: string): Promise<UploadState | undefined> {
    if (!this.isOwn(id, userId)) return undefined;
    const busy = this.busy.get(id);
    if (busy?.body.destroyed) await busy.done;
    const record = this.index.get(id);
    if (!record) return undefined;
    return { offset: record.sha256 ? record.length : (this.offsets.get(id) ?? 0), length: record.length };
  }

  /**
   * tus PATCH: appends `body` at `offset`, which must be the upload's. `startReading` is called once the
   * body is about to be read (after a restart the bytes already there are hashed first).
   */
  async append(
    id: string,
    userId: string,
    offset: number,
    body: Readable,
    startReading?: () => void,
  ): Promise<AppendResult> {
    const record = this.index.get(id);
    if (!record || record.userId !== userId) return { kind: 'notFound' };
    if (this.busy.has(id)) return { kind: 'busy' };
    const current = record.sha256 ? record.length : (this.offsets.get(id) ?? 0);
    if (offset !== current) return { kind: 'offsetMismatch', offset: current };
    if (this.closed) return { kind: 'failed', offset: current, error: new Error('the file store is closed') };
    if (record.sha256) return { kind: 'written', offset: current };
    let settle = () => {};
    this.busy.set(id, { body, done: new Promise<void>((resolve) => (settle = resolve)) });
    try {
      return await this.appendUnlocked(id, record, current, body, startReading);
    } finally {
      this.busy.delete(id);
      settle();
    }
  }

  /** tus termination. A message already names the upload: it stays until that message goes. */
  async deleteUpload(id: string, userId: string): Promise<boolean> {
    if (!this.isOwn(id, userId)) return false;
    const busy = this.busy.get(id);
    if (busy) {
      busy.body.destroy();
      await busy.done;
    }
    const record = this.index.get(id);
    if (record && record.refs.length === 0) await this.forget([id]);
    return true;
  }

  /** Deletes what no message needs any more (see the class comment). Runs at open and every minute. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: unknown) => this.options.logger.error('could not delete unused files', err))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const inFlight = [...this.busy.values()];
    for (const busy of inFlight) busy.body.destroy();
    await Promise.all(inFlight.map((busy) => busy.done));
    await this.sweeping;
    await this.fileOps.idle();
    await this.lastSave;
  }

  private async appendUnlocked(
    id: string,
    record: Readonly<UploadRecord>,
    offset: number,
    body: Readable,
    startReading?: () => void,
  ): Promise<AppendResult> {
    let outcome: WriteOutcome = { offset };
    try {
      const hash = await this.hashAt(id, offset);
      startReading?.();
      outcome = await writeBody({
        file: this.blobs.partFile(id),
        offset,
        length: record.length,
        hash,
        body,
        room: () => this.grantRoom(),
        release: (granted) => (this.granted -= granted),
        onWritten: (written) => this.offsets.set(id, written),
      });
      if (outcome.syncFailed) return await this.afterSyncFailure(id, outcome);
      this.offsets.set(id, outcome.offset);
      this.hashes.set(id, { hash, at: outcome.offset });
      const finished = outcome.offset === record.length;
      if (finished) await this.finish(id, hash);
      if (this.touch(id) || finished) await this.save();
    } catch (err) {
      this.hashes.delete(id);
      return { kind: isNoSpace(err) ? 'full' : 'failed', offset: this.offsets.get(id) ?? outcome.offset, error: err };
    }
    if (outcome.stop === 'failed') return { kind: 'failed', offset: outcome.offset, error: outcome.error };
    if (outcome.stop) return { kind: outcome.stop, offset: outcome.offset };
    return { kind: 'written', offset: outcome.offset };
  }

  /** After a failed fsync nothing written since the last one is known to be there: start again from the disk. */
  private async afterSyncFailure(id: string, outcome: WriteOutcome): Promise<AppendResult> {
    this.hashes.delete(id);
    const size = (await this.blobs.partSize(id).catch(() => undefined)) ?? outcome.offset;
    this.offsets.set(id, size);
    const kind = outcome.stop === 'full' ? 'full' : 'failed';
    return kind === 'full' ? { kind, offset: size } : { kind, offset: size, error: outcome.error };
  }

  private async hashAt(id: string, offset: number): Promise<Hash> {
    const cached = this.hashes.get(id);
    if (cached?.at === offset) return cached.hash;
    const hash = await hashPrefix(this.blobs.partFile(id), offset);
    this.hashes.set(id, { hash, at: offset });
    return hash;
  }

  /** The last byte is durable: the part becomes its blob, and the upload is finished (once saved). */
  private async finish(id: string, hash: Hash): Promise<void> {
    this.hashes.delete(id);
    const sha256 = hash.digest('hex');
    await this.fileOps.run(async () => {
      await this.blobs.commit(id, sha256);
      this.index.complete(id, sha256, this.options.now());
    });
    this.offsets.delete(id);
    this.activitySaved.delete(id);
  }

  private refusalFor(userId: string, length: number, free: number): UploadRefusal | undefined {
    const { limits, index } = this;
    if (length > limits.maxFileBytes)
      return {
        code: 'FILE_TOO_LARGE',
        message: `Files may be at most ${formatBytes(limits.maxFileBytes)} on this hub.`,
      };
    if (index.incompleteOf(userId) >= limits.maxIncompletePerUser)
      return {
        code: 'FILE_UPLOADS_TOO_MANY',
        message: `You have ${limits.maxIncompletePerUser} unfinished uploads: finish or cancel one first.`,
      };
    // Empty files cost no bytes and finish at once: without a count, one user could grow the index at will.
    if (index.unsentOf(userId) >= limits.maxUnsentPerUser)
      return {
        code: 'FILE_UPLOADS_TOO_MANY',
        message: `You have ${limits.maxUnsentPerUser} uploads no message names yet: send or cancel some first.`,
      };
    if (index.bytesOf(userId) + length > limits.userBytes)
      return {
        code: 'FILE_QUOTA_EXCEEDED',
        message:
          `Your files on this hub would pass ${formatBytes(limits.userBytes)}: ` + 'delete messages with files first.',
      };
    if (index.hubBytes() + length > limits.hubBytes || free - length < limits.freeReserveBytes)
      return { code: 'HUB_STORAGE_FULL', message: noSpaceMessage() };
    return undefined;
  }

  /**
   * Marks an upload active now; true when that should reach the disk. Not after every PATCH: rewriting the index
   * durably per 16 MiB chunk cost a tenth of an upload's throughput, and the offset never depends on it (it is
   * the part's size). On disk the idle clock that expires unfinished uploads is at most ACTIVITY_SAVE_MS behind.
   */
  private touch(id: string): boolean {
    const now = this.options.now();
    this.index.touch(id, now);
    const saved = this.activitySaved.get(id);
    if (saved !== undefined && now - saved < ACTIVITY_SAVE_MS) return false;
    this.activitySaved.set(id, now);
    return true;
  }

  /**
   * Space for the next part of a body: half of what is free above the reserve and not yet granted to other
   * bodies, at most SPACE_CHECK_BYTES, none below MIN_GRANT_BYTES. Uploads at once share what is left, so
   * together they stop at the reserve, not one grant past it each.
   */
  private async grantRoom(): Promise<number> {
    const spare = (await this.freeBytes()) - this.limits.freeReserveBytes - this.granted;
    const grant = spare < MIN_GRANT_BYTES ? 0 : Math.min(SPACE_CHECK_BYTES, Math.floor(spare / 2));
    this.granted += grant;
    return grant;
  }

  private async freeBytes(): Promise<number> {
    const fs = await (this.options.statfs ?? nodeStatfs)(this.blobs.root);
    return Number(fs.bavail) * Number(fs.bsize);
  }

  private isOwn(id: string, userId: string): boolean {
    return this.index.get(id)?.userId === userId;
  }

  private save(): Promise<void> {
    const saved = this.index.save();
    this.lastSave = saved.catch(() => {});
    return saved;
  }

  /** Drops uploads from the index (durably), then their parts and any blob no other upload has. */
  private async forget(ids: readonly string[]): Promise<void> {
    const removed: Array<[string, Readonly<UploadRecord>]> = [];
    for (const id of ids) {
      const record = this.index.remove(id);
      this.offsets.delete(id);
      this.activitySaved.delete(id);
      this.hashes.delete(id);
      if (record) removed.push([id, record]);
    }
    if (removed.length === 0) return;
    await this.save();
    await this.fileOps.run(async () => {
      for (const [id, record] of removed) {
        if (!record.sha256) await this.blobs.removePart(id);
        // Checked here, inside the queue: an upload of the same bytes may have finished meanwhile.
        else if (!this.index.hasContent(record.sha256)) await this.blobs.removeBlob(record.sha256);
      }
    });
  }

  private async sweepOnce(): Promise<void> {
    if (this.closed) return;
    const now = this.options.now();
    const { graceMs, unclaimedTtlMs } = this.limits;
    const due: string[] = [];
    for (const [id, record] of this.index.entries()) {
      if (this.busy.has(id) || record.refs.length > 0) continue;
      const until = record.releasedAt !== undefined ? record.releasedAt + graceMs : record.updatedAt + unclaimedTtlMs;
      if (until <= now) due.push(id);
    }
    await this.forget(due);
  }

  /**
   * At open: each unfinished upload's offset is what its part holds (a torn tail is caught by the hash check at
   * `send`); one whose bytes all arrived before a crash is finished now; parts and blobs nothing names go.
   */
  private async recover(): Promise<void> {
    const parts = new Set(await this.blobs.listParts());
    const blobsOnDisk = new Set(await this.blobs.listBlobs());
    const lost: string[] = [];
    let finished = false;
    for (const [id, record] of this.index.entries()) {
      if (record.sha256) {
        if (!blobsOnDisk.has(record.sha256)) lost.push(id);
        continue;
      }
      if (!parts.has(id)) await this.blobs.createPart(id);
      let size = (await this.blobs.partSize(id)) ?? 0;
      if (size > record.length) await this.blobs.truncatePart(id, (size = record.length));
      this.offsets.set(id, size);
      if (size !== record.length) continue;
      await this.finish(id, await hashPrefix(this.blobs.partFile(id), size));
      finished = true;
    }
    if (lost.length > 0)
      this.options.logger.warn(
        `${lost.length} stored files were missing from ${this.blobs.blobsDir}; ` +
          'their messages show them as unavailable.',
      );
    await this.forget(lost);
    for (const id of parts) if (!this.index.get(id)) await this.blobs.removePart(id);
    for (const sha256 of blobsOnDisk) if (!this.index.hasContent(sha256)) await this.blobs.removeBlob(sha256);
    // Only when something changed: a hub must start on a full disk (text and removals still work there).
    if (finished) await this.save();
  }
}

function noSpaceMessage(): string {
  return 'The hub has no room for more files now. Ask its owner to free space, or delete messages with files.';
}
