import { z } from 'zod';
import { SHA256_HEX_PATTERN, UPLOAD_ID_PATTERN } from '../../../shared/protocol';
import { DurableJsonFile } from '../registry/DurableJsonFile';
import { PRIVATE_FILE_MODE } from '../privateFiles';

/**
 * files/index.json: every upload, whose it is, whether it finished (its SHA-256) and which messages name it.
 * The one durable record of the file store; blobs and parts on disk that it does not name are leftovers.
 */

const Time = z.number().min(0);

const UploadRecordSchema = z.object({
  userId: z.string().min(1).max(256),
  deviceId: z.string().min(1).max(256),
  length: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  createdAt: Time,
  updatedAt: Time,
  /** Set once the last byte is durable and the bytes are stored as a blob. */
  sha256: z.string().regex(SHA256_HEX_PATTERN).optional(),
  /** Messages that name this upload, as "<conversationId>/…" keys chosen by the caller of claim. */
  refs: z.array(z.string().min(1).max(1024)),
  /** When the last ref went: the upload is deleted a grace period later. */
  releasedAt: Time.optional(),
});
export type UploadRecord = z.infer<typeof UploadRecordSchema>;

export const FILE_INDEX_VERSION = 1;

const FileIndexSchema = z.object({
  version: z.literal(FILE_INDEX_VERSION),
  uploads: z.record(z.string().regex(UPLOAD_ID_PATTERN), UploadRecordSchema),
});
type FileIndexData = z.infer<typeof FileIndexSchema>;

export class FileIndexError extends Error {
  readonly code = 'FILE_INDEX_INVALID';
}

/**
 * The index in memory, with the sums the limits need kept beside it. Every change goes through a method here
 * so the sums cannot drift; `save` makes the current state durable.
 */
export class FileIndex {
  private readonly userBytes = new Map<string, number>();
  private readonly incomplete = new Map<string, number>();
  /** Finished uploads per content, and the content's size: a blob lives while its count is above 0. */
  private readonly contents = new Map<string, { count: number; size: number }>();
  private chargedBytes = 0;

  private constructor(
    private readonly file: DurableJsonFile<FileIndexData>,
    private readonly uploads: Map<string, UploadRecord>,
  ) {
    for (const [, record] of uploads) this.count(record, 1);
  }

  /** The index in `file`, or an empty one when there is none; a damaged one throws FileIndexError. */
  static async load(file: string): Promise<FileIndex> {
    const json = new DurableJsonFile<FileIndexData>(file, { mode: PRIVATE_FILE_MODE });
    let loaded;
    try {
      loaded = await json.load();
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      throw damaged(file, 'it is not JSON');
    }
    if (!loaded.exists) return new FileIndex(json, new Map());
    const parsed = FileIndexSchema.safeParse(loaded.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw damaged(file, `${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'}`);
    }
    return new FileIndex(json, new Map(Object.entries(parsed.data.uploads)));
  }

  get(id: string): Readonly<UploadRecord> | undefined {
    return this.uploads.get(id);
  }

  entries(): IterableIterator<[string, Readonly<UploadRecord>]> {
    return this.uploads.entries();
  }

  add(id: string, record: UploadRecord): void {
    this.uploads.set(id, record);
    this.count(record, 1);
  }

  remove(id: string): Readonly<UploadRecord> | undefined {
    const record = this.uploads.get(id);
    if (!record) return undefined;
    this.uploads.delete(id);
    this.count(record, -1);
    return record;
  }

  complete(id: string, sha256: string, now: number): void {
    const record = this.uploads.get(id);
    if (!record || record.sha256) return;
    this.count(record, -1);
    record.sha256 = sha256;
    record.updatedAt = now;
    this.count(record, 1);
  }

  touch(id: string, now: number): void {
    const record = this.uploads.get(id);
    if (record) record.updatedAt = now;
  }

  addRef(id: string, refKey: string): void {
    const record = this.uploads.get(id);
    if (!record) return;
    if (!record.refs.includes(refKey)) record.refs.push(refKey);
    delete record.releasedAt;
  }

  dropRef(id: string, refKey: string, now: number): void {
    const record = this.uploads.get(id);
    if (!record?.refs.includes(refKey)) return;
    record.refs = record.refs.filter((r) => r !== refKey);
    if (record.refs.length === 0) record.releasedAt = now;
  }

  bytesOf(userId: string): number {
    return this.userBytes.get(userId) ?? 0;
  }

  incompleteOf(userId: string): number {
    return this.incomplete.get(userId) ?? 0;
  }

  /**
   * What the hub's budget counts: every upload's full length, even when its bytes are stored once. Counting
   * each content once would let a member learn, from what room is left, whether someone stored a file.
   */
  hubBytes(): number {
    return this.chargedBytes;
  }

  /** Uploads of the user that no message names and that are not in their grace period: being made, or unsent. */
  unsentOf(userId: string): number {
    let count = 0;
    for (const record of this.uploads.values())
      if (record.userId === userId && record.refs.length === 0 && record.releasedAt === undefined) count++;
    return count;
  }

  /** Whether a finished upload has these bytes (so their blob must stay). */
  hasContent(sha256: string): boolean {
    return this.contents.has(sha256);
  }

  save(): Promise<void> {
    return this.file.write({ version: FILE_INDEX_VERSION, uploads: Object.fromEntries(this.uploads) });
  }

  private count(record: UploadRecord, sign: 1 | -1): void {
    addTo(this.userBytes, record.userId, sign * record.length);
    this.chargedBytes += sign * record.length;
    if (!record.sha256) {
      addTo(this.incomplete, record.userId, sign);
      return;
    }
    const content = this.contents.get(record.sha256) ?? { count: 0, size: record.length };
    content.count += sign;
    if (content.count === 0) this.contents.delete(record.sha256);
    else this.contents.set(record.sha256, content);
  }
}

function addTo(map: Map<string, number>, key: string, delta: number): void {
  const value = (map.get(key) ?? 0) + delta;
  if (value === 0) map.delete(key);
  else map.set(key, value);
}

function damaged(file: string, detail: string): FileIndexError {
  return new FileIndexError(
    `${file} is damaged (${detail}). Restore it from a backup, or move it away: the hub then starts with no ` +
      'files (messages keep their text; their files are deleted).',
  );
}
