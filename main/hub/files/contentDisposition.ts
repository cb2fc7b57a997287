/**
 * `Content-Disposition: attachment` for a file's name as its sender gave it. The name is checked when the
 * message is sent, but the header is built as if it were not: control and direction characters, path
 * separators and quotes never reach it. Browsers use `filename*` (RFC 6266, 5987); `filename` is an ASCII
 * stand-in for the rest.
 */
export function attachmentDisposition(name: string): string {
  const clean = sanitiseFileName(name);
  const ascii = clean.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(clean)}`;
}

const MAX_NAME_LENGTH = 255;

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/g;

/** The name without what a header or a file system must not get; "file" when nothing is left. */
export function sanitiseFileName(name: string): string {
  const kept = truncate(name.replace(UNSAFE, '_'), MAX_NAME_LENGTH).trim();
  return kept === '' || /^\.+$/.test(kept) ? 'file' : kept;
}

/** Percent-encodes all but RFC 5987's attr-char (encodeURIComponent leaves ' ( ) * as they are). */
function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** At most `max` UTF-16 units, never half of a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
