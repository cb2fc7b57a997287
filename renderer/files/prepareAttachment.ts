import type { Attachment } from '../../shared/protocol';
import type { FileSession } from './FileSession';
import { hashFile } from './hashFile';
import { imageSizeOf } from './imageSize';
import { thumbnailOf, type Thumbnail } from './thumbnail';
import { uploadFile } from './uploadFile';

/** What is learnt of a file before it goes, without the network (so it is done offline too). */
export type DescribedFile = {
  sha256: string;
  image?: NonNullable<Attachment['image']>;
  /** A picture's thumbnail (thumbnail.ts), hashed, to upload after the file. */
  thumbnail?: Thumbnail & { sha256: string };
};

/**
 * How files become attachments: read once for the hash (and measured if a picture), then uploaded. Two steps,
 * since the first is kept with the waiting message and never done again after a reload.
 */
export type FileTransfer = {
  /** Hashed before uploading: the hash names the upload for resuming, and `send` carries it for the hub to check. */
  describe: (
    blob: Blob,
    type: string,
    hooks: { signal: AbortSignal; onHashed: (bytes: number) => void },
  ) => Promise<DescribedFile>;
  /** Resolves with the upload's id once the hub has every byte; resumes an upload of the same hash. */
  upload: (
    blob: Blob,
    sha256: string,
    hooks: { signal: AbortSignal; onUploaded: (bytes: number) => void },
  ) => Promise<string>;
};

/** The real thing, on the hub's /api/files through `session`. */
export function fileTransfer(session: FileSession): FileTransfer {
  return {
    describe: async (blob, type, { signal, onHashed }) => {
      const sha256 = await hashFile(blob, { signal, onProgress: onHashed });
      const image = await imageSizeOf(blob, type);
      const small = image && (await thumbnailOf(blob, type));
      const thumbnail = small && { ...small, sha256: await hashFile(small.blob, { signal }) };
      signal.throwIfAborted();
      return { sha256, ...(image && { image }), ...(thumbnail && { thumbnail }) };
    },
    upload: (blob, sha256, { signal, onUploaded }) =>
      uploadFile(blob, { sha256, session, signal, onProgress: (sent) => onUploaded(sent) }),
  };
}
