import { MAX_FILE_NAME_LENGTH, MEDIA_TYPE_PATTERN } from '../protocol';
import { FALLBACK_FILE_NAME } from './safeFileName';

/** What the sender declares when the browser does not know a file's type (appendix F). */
export const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

/** The types the hub serves inline (when the bytes match), so the only ones a timeline shows as pictures. */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

// eslint-disable-next-line no-control-regex -- the characters AttachmentSchema refuses in a name
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/g;

/** A browser's `File.type` as the wire wants it: lowercase `type/subtype`, parameters dropped, else unknown. */
export function declaredMediaType(type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE_PATTERN.test(bare) ? bare : UNKNOWN_MEDIA_TYPE;
}

export function isInlineImageType(type: string): boolean {
  return INLINE_IMAGE_TYPES.has(type);
}

/**
 * A local file's name as `send` may carry it: without what AttachmentSchema refuses (controls, direction
 * characters, path separators, which some file systems allow in a name), within the length limit.
 */
export function sendableFileName(name: string): string {
  const cleaned = name.replace(NAME_FORBIDDEN, '').replace(/[/\\]/g, '_').trim();
  // Measured in UTF-16 units, as the schema's check counts: never more than the code points the spec allows.
  if (cleaned.length <= MAX_FILE_NAME_LENGTH) return cleaned || FALLBACK_FILE_NAME;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  let stem = '';
  for (const char of cleaned.slice(0, cleaned.length - extension.length)) {
    if (stem.length + char.length + extension.length > MAX_FILE_NAME_LENGTH) break;
    stem += char;
  }
  return stem + extension;
}
