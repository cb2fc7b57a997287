/** Image types a file may be shown inline as: ones browsers decode without running anything (no SVG). */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'] as const;
export type InlineImageType = (typeof INLINE_IMAGE_TYPES)[number];

/** Bytes to read from a file's start for imageTypeOf. */
export const MAGIC_BYTES = 64;

/** The inline image type a file's first bytes say it is, if any. */
export function imageTypeOf(head: Uint8Array): InlineImageType | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (isAvif(head)) return 'image/avif';
  return undefined;
}

/** Inline only when the sender's declared type is an inline image type and the bytes are that format. */
export function servesInline(declaredType: string, head: Uint8Array): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(declaredType) && imageTypeOf(head) === declaredType;
}

/** An ISO-BMFF `ftyp` box whose major or a compatible brand is avif or avis. */
function isAvif(head: Uint8Array): boolean {
  if (ascii(head, 4, 8) !== 'ftyp') return false;
  const boxSize = ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
  const end = Math.min(boxSize, head.length);
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  return brands.some((b) => b === 'avif' || b === 'avis');
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => head[i] === byte);
}

function ascii(head: Uint8Array, from: number, to: number): string {
  if (head.length < to) return '';
  return String.fromCharCode(...head.subarray(from, to));
}
