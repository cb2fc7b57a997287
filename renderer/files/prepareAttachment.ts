import type { Attachment } from '../../shared/protocol';
import { declaredMediaType, sendableFileName } from '../../shared/files/attachmentFields';
import type { FileSession } from './FileSession';
import { hashFile } from './hashFile';
import { imageSizeOf } from './imageSize';
import { uploadFile } from './uploadFile';

export type PrepareHooks = {
  signal: AbortSignal;
  /** Bytes of the file read for its hash so far. */
  onHashed: (bytes: number) => void;
  /** Bytes of the file the hub has so far. */
  onUploaded: (bytes: number) => void;
};

/** Makes one local file into what `send` attaches: hashed, measured if a picture, uploaded. */
export type PrepareAttachment = (file: File, hooks: PrepareHooks) => Promise<Attachment>;

/** The real thing, on the hub's /api/files through `session`. */
export function attachmentPreparer(session: FileSession): PrepareAttachment {
  return async (file, { signal, onHashed, onUploaded }) => {
    const type = declaredMediaType(file.type);
    // Hashed before uploading: the hash names the upload for resuming, and `send` carries it for the hub to check.
    const sha256 = await hashFile(file, { signal, onProgress: onHashed });
    const image = await imageSizeOf(file, type);
    signal.throwIfAborted();
    const uploadId = await uploadFile(file, { sha256, session, signal, onProgress: (sent) => onUploaded(sent) });
    return { uploadId, sha256, name: sendableFileName(file.name), size: file.size, type, ...(image && { image }) };
  };
}
