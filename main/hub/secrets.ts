import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Random id safe for paths and URLs (base64url, 16 bytes = 128 bits). */
export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** A join token: 256 bits, single use (protocol-1 device tokens were made the same way; only their hashes remain). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two hex hashes without leaking where they differ. */
export function hashesEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function newDigitCode(digits: number): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

/** Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U). */
const LINK_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** An 8-character code a person can read aloud and type: ~39 bits. */
export function newLinkCode(length = 8): string {
  let out = '';
  for (let i = 0; i < length; i++) out += LINK_ALPHABET[randomInt(0, LINK_ALPHABET.length)];
  return out;
}

export { normalizeLinkCode, stripSeparators } from '../../shared/protocol/codeText';
