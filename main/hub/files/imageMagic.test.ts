import { describe, expect, it } from 'vitest';
import { imageTypeOf, servesInline } from './imageMagic';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const ascii = (text: string) => Buffer.from(text, 'latin1');

describe('image magic', () => {
  it.each([
    ['image/png', hex('89504e47 0d0a1a0a 0000000d')],
    ['image/jpeg', hex('ffd8ffe0 00104a46')],
    ['image/gif', ascii('GIF89a\x01\x00')],
    ['image/webp', ascii('RIFF\x10\x00\x00\x00WEBPVP8 ')],
    ['image/avif', Buffer.concat([hex('00000020'), ascii('ftypavif'), hex('00000000'), ascii('avifmif1miaf')])],
    ['image/avif', Buffer.concat([hex('00000018'), ascii('ftypmif1'), hex('00000000'), ascii('mif1avif')])],
  ])('recognises %s', (type, head) => {
    expect(imageTypeOf(head)).toBe(type);
    expect(servesInline(type, head)).toBe(true);
  });

  it('serves nothing inline whose bytes are not the declared inline type', () => {
    const png = hex('89504e47 0d0a1a0a');
    expect(servesInline('image/jpeg', png)).toBe(false);
    expect(servesInline('image/svg+xml', ascii('<svg xmlns="http://www.w3.org/2000/svg">'))).toBe(false);
    expect(servesInline('image/png', ascii('<html><script>'))).toBe(false);
    expect(servesInline('text/html', png)).toBe(false);
    // An ftyp box that is not AVIF (an MP4).
    expect(imageTypeOf(Buffer.concat([hex('00000018'), ascii('ftypisom'), hex('00000000'), ascii('isomavc1')]))).toBe(
      undefined,
    );
    expect(imageTypeOf(new Uint8Array(0))).toBeUndefined();
  });
});
