import { mkdir, open, readdir, rename, stat, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import { SHA256_HEX_PATTERN, UPLOAD_ID_PATTERN } from '../../../shared/protocol';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../privateFiles';

/**
 * The file store's bytes on disk, under dataDir/files: `uploads/<id>` holds an upload until its last byte,
 * then it becomes `blobs/<first 2 hex>/<sha256>`, named by its content so each content is stored once.
 * Every rename and creation is followed by an fsync of its folder, so it survives a power cut.
 */
export class BlobStore {
  readonly blobsDir: string;
  readonly uploadsDir: string;

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs');
    this.uploadsDir = path.join(root, 'uploads');
  }

  async ensureFolders(): Promise<void> {
    for (const dir of [this.root, this.blobsDir, this.uploadsDir])
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  }

  blobFile(sha256: string): string {
    return path.join(this.blobsDir, sha256.slice(0, 2), sha256);
  }

  partFile(uploadId: string): string {
    return path.join(this.uploadsDir, uploadId);
  }

  async createPart(uploadId: string): Promise<void> {
    const handle = await open(this.partFile(uploadId), 'wx', PRIVATE_FILE_MODE);
    await handle.close();
    await syncDir(this.uploadsDir);
  }

  /** Bytes of the part on disk, undefined when there is none. */
  async partSize(uploadId: string): Promise<number | undefined> {
    try {
      return (await stat(this.partFile(uploadId))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async truncatePart(uploadId: string, length: number): Promise<void> {
    await truncate(this.partFile(uploadId), length);
  }

  /**
   * Moves a finished part (already fsynced) to its blob, or drops it when that content is stored already.
   * The caller serialises this with blob deletions, so an existing blob cannot vanish in between.
   */
  async commit(uploadId: string, sha256: string): Promise<void> {
    const blob = this.blobFile(sha256);
    const dir = path.dirname(blob);
    const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (created) await syncDir(this.blobsDir);
    if (await exists(blob)) await unlink(this.partFile(uploadId));
    else await rename(this.partFile(uploadId), blob);
    await syncDir(dir);
    await syncDir(this.uploadsDir);
  }

  async removePart(uploadId: string): Promise<void> {
    await unlinkIfThere(this.partFile(uploadId));
  }

  async removeBlob(sha256: string): Promise<void> {
    await unlinkIfThere(this.blobFile(sha256));
  }

  /** Upload ids with a part on disk (other names are ignored). */
  async listParts(): Promise<string[]> {
    const names = await readdir(this.uploadsDir);
    return names.filter((n) => UPLOAD_ID_PATTERN.test(n));
  }

  /** SHA-256s with a blob on disk. */
  async listBlobs(): Promise<string[]> {
    const found: string[] = [];
    for (const prefix of await readdir(this.blobsDir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      const names = await readdir(path.join(this.blobsDir, prefix));
      found.push(...names.filter((n) => SHA256_HEX_PATTERN.test(n) && n.startsWith(prefix)));
    }
    return found;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function unlinkIfThere(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Windows cannot fsync a folder (see durableWrite.ts); there a rename is as durable as NTFS makes it. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
