import { z } from 'zod';
import {
  FileNameSchema,
  ImageSizeSchema,
  LIMITS,
  MAX_THUMBNAIL_SIDE,
  THUMBNAIL_TYPES,
  MediaTypeSchema,
  Sha256Schema,
  UploadIdSchema,
} from '../../shared/protocol';
import type { Attachment } from '../../shared/protocol';

/** Bump with a migration in fileOutboxDb.ts when the stored shape changes. */
export const FILE_OUTBOX_VERSION = 1;

/** A picture's thumbnail, made when the file is described (offline too) and uploaded after the file. */
const OutgoingThumbnailSchema = z.object({
  blob: z.instanceof(Blob),
  type: z.enum(THUMBNAIL_TYPES),
  width: z.int().min(1).max(MAX_THUMBNAIL_SIDE),
  height: z.int().min(1).max(MAX_THUMBNAIL_SIDE),
  sha256: Sha256Schema,
  uploadId: UploadIdSchema.optional(),
});

const OutgoingFileSchema = z.object({
  /** The bytes themselves: IndexedDB keeps a Blob, so a file picked offline survives a reload. */
  blob: z.instanceof(Blob),
  name: FileNameSchema,
  type: MediaTypeSchema,
  size: z.int().min(0),
  image: ImageSizeSchema.optional(),
  /** Once hashed: the hash names the upload for resuming, so a reload never hashes again. */
  sha256: Sha256Schema.optional(),
  /** Once the hub has every byte. */
  uploadId: UploadIdSchema.optional(),
  thumbnail: OutgoingThumbnailSchema.optional(),
});
export type OutgoingFile = z.infer<typeof OutgoingFileSchema>;

/**
 * One message with files, from the moment it is composed until the sync client's outbox holds it.
 *   pending ──all uploaded, client.send stored it──▶ sent ──acked──▶ (deleted)
 *   pending ──refused for good──▶ failed ──Try again──▶ pending
 *   sent ──FILE_NOT_UPLOADED (the hub dropped the upload)──▶ pending, uploading again from `blob`
 */
export const FileOutboxEntrySchema = z.object({
  version: z.literal(FILE_OUTBOX_VERSION),
  /** Chosen once, at compose: every send of this message carries it, so it is stored exactly once. */
  clientMsgId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  conversationId: z.string().min(1),
  text: z.string(),
  createdAt: z.number(),
  files: z.array(OutgoingFileSchema).min(1).max(LIMITS.maxAttachments),
  status: z.enum(['pending', 'sent', 'failed']),
  /** failed only: what went wrong, in the hub's words where it gave some. */
  error: z.string().optional(),
});
export type FileOutboxEntry = z.infer<typeof FileOutboxEntrySchema>;

/** A new entry for files the person just chose; names and types as `send` will carry them. */
export function newFileOutboxEntry(fields: {
  clientMsgId: string;
  conversationId: string;
  text: string;
  createdAt: number;
  files: readonly { blob: Blob; name: string; type: string }[];
}): FileOutboxEntry {
  const { files, ...rest } = fields;
  return {
    version: FILE_OUTBOX_VERSION,
    ...rest,
    files: files.map(({ blob, name, type }) => ({ blob, name, type, size: blob.size })),
    status: 'pending',
  };
}

/** The entry with file `index` changed. */
export function withFile(entry: FileOutboxEntry, index: number, change: Partial<OutgoingFile>): FileOutboxEntry {
  return { ...entry, files: entry.files.map((f, i) => (i === index ? { ...f, ...change } : f)) };
}

/** The attachments `send` carries, once every file is uploaded; else undefined. */
export function attachmentsOf(entry: FileOutboxEntry): Attachment[] | undefined {
  const out: Attachment[] = [];
  for (const { uploadId, sha256, name, size, type, image, thumbnail } of entry.files) {
    if (!uploadId || !sha256 || (thumbnail && !thumbnail.uploadId)) return undefined;
    const small = thumbnail?.uploadId && {
      uploadId: thumbnail.uploadId,
      sha256: thumbnail.sha256,
      size: thumbnail.blob.size,
      type: thumbnail.type,
      width: thumbnail.width,
      height: thumbnail.height,
    };
    out.push({ uploadId, sha256, name, size, type, ...(image && { image }), ...(small && { thumbnail: small }) });
  }
  return out;
}

/** The hub no longer has an upload (gone after 24 h unsent): every file is uploaded again from its bytes. */
export function withoutUploads(entry: FileOutboxEntry): FileOutboxEntry {
  return {
    ...entry,
    status: 'pending',
    files: entry.files.map(({ uploadId: _gone, thumbnail, ...f }) => {
      if (!thumbnail) return f;
      const { uploadId: _thumbnailGone, ...kept } = thumbnail;
      return { ...f, thumbnail: kept };
    }),
  };
}
