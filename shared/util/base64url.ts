/**
 * base64url without padding (RFC 4648 section 5), strict: decoding refuses anything that encoding the result would
 * not give back, so every byte string has exactly one spelling on the wire and a signature over it is unambiguous.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map(ALPHABET.split('').map((c, i) => [c, i]));

export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    out += chars.slice(0, Math.min(4, Math.ceil(((bytes.length - i) * 4) / 3)));
  }
  return out;
}

/** The bytes, or undefined for text that is not canonical unpadded base64url. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const c of text) {
    const v = VALUES.get(c);
    if (v === undefined) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, else two spellings would decode to the same bytes.
  if ((value & ((1 << bits) - 1)) !== 0) return undefined;
  return bytes;
}

/** The number of base64url characters that `byteLength` bytes encode to. */
export function base64urlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}
