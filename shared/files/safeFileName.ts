/**
 * A file name from another person, made safe to save under: what the sender typed is shown as is elsewhere,
 * but a name that reaches a file system must not climb out of the download folder, hide its real extension
 * behind direction controls ("photo\u202Egnp.exe" shows as "photoexe.png"), be a device on Windows, or be
 * longer than a file system takes. Pure, so it is the same on every client.
 */

/** What names become when nothing usable is left of them. */
export const FALLBACK_FILE_NAME = 'file';
/** Most file systems (ext4, APFS, NTFS in UTF-16 units) stop at 255; UTF-8 bytes is the strictest measure. */
export const MAX_FILE_NAME_BYTES = 255;
/** An extension longer than this is not worth keeping whole when a long name must be cut. */
const MAX_KEPT_EXTENSION_BYTES = 32;

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Direction marks, embeddings, overrides and isolates, the Arabic letter mark; and the BOM / zero-width no-break. */
const DIRECTION_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g;
/** Path separators, and what Windows refuses in a name. */
const RESERVED_CHARACTERS = /[/\\<>:"|?*]/g;
/** CON, PRN, AUX, NUL, COM0-9, LPT0-9 (and their superscript-digit forms), with or without an extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;

export function sanitizeFileName(name: string): string {
  let safe = name
    .normalize('NFC')
    .replace(DIRECTION_CONTROLS, '')
    .replace(CONTROLS, '')
    .replace(RESERVED_CHARACTERS, '_');
  // Leading dots hide a file (and "." or ".." are no names); trailing dots and spaces are dropped by Windows,
  // which would turn "x.exe." into "x.exe" after the warning looked at the former.
  safe = safe.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (WINDOWS_DEVICE.test(safe)) safe = `_${safe}`;
  safe = truncateUtf8(safe, MAX_FILE_NAME_BYTES);
  return safe === '' ? FALLBACK_FILE_NAME : safe;
}

/** The name cut to `maxBytes` of UTF-8, keeping a short extension and whole characters. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  const keep = utf8Length(extension) <= MAX_KEPT_EXTENSION_BYTES ? extension : '';
  const stem = cutToBytes(keep ? name.slice(0, dot) : name, maxBytes - utf8Length(keep));
  return (stem.replace(/[\s.]+$/, '') || FALLBACK_FILE_NAME) + keep;
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, never splitting a code point. */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += utf8Length(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Bytes of `text` in UTF-8 (no TextEncoder: shared/ has no DOM or Node). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
