import { describe, expect, it } from 'vitest';
import { base64urlLength, fromBase64url, toBase64url } from './base64url';

describe('base64url', () => {
  it('matches RFC 4648 test vectors, unpadded and URL-safe', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      const bytes = new TextEncoder().encode(plain);
      expect(toBase64url(bytes)).toBe(encoded);
      expect(fromBase64url(encoded)).toEqual(bytes);
    }
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('round-trips every length and byte value', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff);
      const text = toBase64url(bytes);
      expect(text).toHaveLength(base64urlLength(length));
      expect(fromBase64url(text)).toEqual(bytes);
    }
  });

  it('refuses non-canonical spellings, padding and foreign characters', () => {
    expect(fromBase64url('Zh')).toBeUndefined(); // 'Zg' with nonzero leftover bits
    expect(fromBase64url('Zg==')).toBeUndefined();
    expect(fromBase64url('Zm9v+')).toBeUndefined();
    expect(fromBase64url('Z')).toBeUndefined();
    expect(fromBase64url('Zm/v')).toBeUndefined();
  });
});
