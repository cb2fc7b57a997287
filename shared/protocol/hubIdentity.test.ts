import { describe, expect, it } from 'vitest';
import { formatIdentity, identityFromDigest, parseIdentity } from './hubIdentity';

const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));

describe('hub identity', () => {
  it('encodes a SHA-256 digest as RFC 4648 base32 without padding', () => {
    // RFC 4648 section 10's vectors, extended: "foobar" is MZXW6YTBOI; a digest of zeros is all A.
    expect(identityFromDigest(new Uint8Array(32))).toBe('A'.repeat(52));
    const digest = new Uint8Array(32);
    digest.set(new TextEncoder().encode('foobar'));
    expect(identityFromDigest(digest).startsWith('MZXW6YTBOI')).toBe(true);
    expect(identityFromDigest(bytes('ff'.repeat(32)))).toBe('7'.repeat(51) + 'Q');
  });

  it('refuses anything but a 32-byte digest', () => {
    expect(() => identityFromDigest(new Uint8Array(20))).toThrow(/32 bytes/);
  });

  it('shows groups of four and reads the shown form back', () => {
    const id = identityFromDigest(bytes('0123456789abcdef'.repeat(4)));
    const shown = formatIdentity(id);
    expect(shown.split('-')).toHaveLength(13);
    expect(parseIdentity(shown)).toBe(id);
    expect(parseIdentity(shown.toLowerCase().replaceAll('-', ' '))).toBe(id);
  });

  it('reads no identity from text of the wrong length or alphabet', () => {
    expect(parseIdentity('A'.repeat(51))).toBeUndefined();
    expect(parseIdentity('1'.repeat(52))).toBeUndefined();
    expect(parseIdentity('')).toBeUndefined();
  });
});
