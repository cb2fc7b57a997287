import { z } from 'zod';
import { LIMITS } from './limits';

/** Where files go and come from on the hub's port (appendix F): uploads by tus, downloads per message. */
export const FILES_PATH = '/api/files';
export const FILE_SESSION_PATH = `${FILES_PATH}/session`;
export const FILE_UPLOADS_PATH = `${FILES_PATH}/uploads`;

/** Where attachment `index` (from 0) of message `seq` downloads from (appendix F.4). */
export function fileDownloadPath(conversationId: string, seq: number, index: number): string {
  return `${FILES_PATH}/${conversationId}/${seq}/${index}`;
}

/** Where that attachment's thumbnail downloads from, when it has one (appendix F.4). */
export function thumbnailDownloadPath(conversationId: string, seq: number, index: number): string {
  return `${fileDownloadPath(conversationId, seq, index)}/thumbnail`;
}

/** Largest thumbnail, in bytes and in pixels on its longer side (appendix F.4). */
export const MAX_THUMBNAIL_BYTES = 256 * 1024;
export const MAX_THUMBNAIL_SIDE = 1024;
/** What a thumbnail may be: formats every browser decodes, never SVG. */
export const THUMBNAIL_TYPES = ['image/jpeg', 'image/webp', 'image/png'] as const;

export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
/** A MIME type as `type/subtype`, lowercase, no parameters. */
export const MEDIA_TYPE_PATTERN = /^[a-z0-9!#$&^_.+-]{1,63}\/[a-z0-9!#$&^_.+-]{1,63}$/;
/**
 * C0/C1 controls, path separators, direction controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C) and the
 * line and paragraph separators (U+2028/9), which many renderers break lines at.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NAME_ALLOWED = /^[^\u0000-\u001f\u007f-\u009f/\\\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]*$/;

const MAX_IMAGE_SIDE = 65_535;
/** Longest file name, in code points (appendix F.4). */
export const MAX_FILE_NAME_LENGTH = 255;

export const UploadIdSchema = z
  .string()
  .regex(UPLOAD_ID_PATTERN, 'must be 22 of A-Z a-z 0-9 _ -')
  .describe("The id from the upload's `Location` (appendix F.3): 22 of A-Z a-z 0-9 _ -.");

export const Sha256Schema = z
  .string()
  .regex(SHA256_HEX_PATTERN, 'must be 64 lowercase hex digits')
  .describe("The file's SHA-256, 64 lowercase hex digits.");

export const FileNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_FILE_NAME_LENGTH, `must be at most ${MAX_FILE_NAME_LENGTH} characters`)
  .regex(NAME_ALLOWED, 'must not contain control, direction or line-separator characters, / or \\')
  .describe(
    `The file's name as the sender had it: 1-${MAX_FILE_NAME_LENGTH} characters, no control or direction ` +
      'characters, no / or \\. Receivers still sanitise it before saving (appendix F.5).',
  );

export const MediaTypeSchema = z
  .string()
  .regex(MEDIA_TYPE_PATTERN, 'must be a lowercase type/subtype')
  .describe('The media type the sender declared, e.g. `image/png`; `application/octet-stream` when unknown.');

export const ImageSizeSchema = z
  .object({
    width: z.int().min(1).max(MAX_IMAGE_SIDE).describe('Pixels.'),
    height: z.int().min(1).max(MAX_IMAGE_SIDE).describe('Pixels.'),
  })
  .describe("An image's size, so receivers reserve its space before it loads. Only for `image/*` types.");

const thumbnailFields = {
  sha256: Sha256Schema,
  size: z.int().min(1).max(MAX_THUMBNAIL_BYTES).describe(`Bytes, at most ${MAX_THUMBNAIL_BYTES}.`),
  type: z.enum(THUMBNAIL_TYPES).describe('JPEG, WebP or PNG.'),
  width: z.int().min(1).max(MAX_THUMBNAIL_SIDE).describe('Pixels.'),
  height: z.int().min(1).max(MAX_THUMBNAIL_SIDE).describe('Pixels.'),
};

const attachmentFields = {
  sha256: Sha256Schema,
  name: FileNameSchema,
  size: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Bytes.'),
  type: MediaTypeSchema,
  image: ImageSizeSchema.optional(),
};

export const AttachmentSchema = z
  .object({
    uploadId: UploadIdSchema,
    ...attachmentFields,
    thumbnail: z
      .object({ uploadId: UploadIdSchema, ...thumbnailFields })
      .optional()
      .describe('A small picture of an image, uploaded like the file itself, for timelines (appendix F.4).'),
  })
  .describe('A file the sender uploaded completely (appendix F.3), to attach to `send`.');
export type Attachment = z.infer<typeof AttachmentSchema>;

export const AttachmentWireSchema = z
  .object({
    ...attachmentFields,
    thumbnail: z
      .object(thumbnailFields)
      .optional()
      .describe("The image's thumbnail: show it in timelines, the file itself in a viewer (appendix F.4)."),
  })
  .describe('A file attached to a message; download it from its path (appendix F.4).');
export type AttachmentWire = z.infer<typeof AttachmentWireSchema>;

export const AttachmentsSchema = z
  .array(AttachmentSchema)
  .min(1)
  .max(LIMITS.maxAttachments)
  .describe(`1-${LIMITS.maxAttachments} files, each uploaded first (appendix F).`);

/** A sent file as the message carries it: its upload ids are the uploader's own business. */
export function attachmentToWire(attachment: Attachment): AttachmentWire {
  const { uploadId: _file, thumbnail, ...wire } = attachment;
  if (!thumbnail) return wire;
  const { uploadId: _thumbnail, ...thumbnailWire } = thumbnail;
  return { ...wire, thumbnail: thumbnailWire };
}

/** The single line a protocol-2 client sees for a file, appended to the text (appendix F.6). */
export function attachmentFallbackLine(attachment: Pick<AttachmentWire, 'name' | 'size'>): string {
  return `📎 ${attachment.name} (${formatBytes(attachment.size)})`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
