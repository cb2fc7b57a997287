import { describe, expect, it } from 'vitest';
import { stripImageMetadata } from './imageMetadata';

// The images are built byte by byte, so each test knows exactly which bytes are metadata and which are picture.

type Part = number | string | readonly number[] | Uint8Array;

function bytes(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') out.push(...Array.from(part, (char) => char.charCodeAt(0)));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

const u16 = (value: number, little = false): number[] =>
  little ? [value & 0xff, value >> 8] : [value >> 8, value & 0xff];
const u32 = (value: number, little = false): number[] => {
  const big = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return little ? big.reverse() : big;
};

function indexOf(haystack: Uint8Array, needle: Part): number {
  const wanted = bytes(needle);
  outer: for (let i = 0; i + wanted.length <= haystack.length; i++) {
    for (let j = 0; j < wanted.length; j++) if (haystack[i + j] !== wanted[j]) continue outer;
    return i;
  }
  return -1;
}
const contains = (haystack: Uint8Array, needle: Part): boolean => indexOf(haystack, needle) >= 0;

// ---- Exif ----

const GPS_LATITUDE = [...u32(4711), ...u32(100)]; // 47.11", the seconds of the latitude: must never survive

/** A TIFF whose IFD0 has Make, maybe Orientation, maybe a GPS IFD with a latitude. */
function tiff(opts: { little: boolean; orientation?: number; gps?: boolean }): Uint8Array {
  const { little, orientation, gps = false } = opts;
  const count = 1 + (orientation === undefined ? 0 : 1) + (gps ? 1 : 0);
  const makeAt = 8 + 2 + 12 * count + 4;
  const gpsAt = makeAt + 6;
  const latitudeAt = gpsAt + 2 + 2 * 12 + 4;
  const entry = (tag: number, type: number, n: number, value: number[]): number[] => [
    ...u16(tag, little),
    ...u16(type, little),
    ...u32(n, little),
    ...value,
  ];
  const rationals = [52, 1, 31, 1].flatMap((value) => u32(value, little));
  return bytes(
    little ? 'II' : 'MM',
    u16(42, little),
    u32(8, little),
    u16(count, little),
    entry(0x010f, 2, 6, u32(makeAt, little)),
    orientation === undefined ? [] : entry(0x0112, 3, 1, [...u16(orientation, little), 0, 0]),
    gps ? entry(0x8825, 4, 1, u32(gpsAt, little)) : [],
    u32(0),
    'Canon\0',
    gps ? [...u16(2, little), ...entry(1, 2, 2, [0x4e, 0, 0, 0]), ...entry(2, 5, 3, u32(latitudeAt, little))] : [],
    gps ? [...u32(0), ...rationals, ...(little ? [...u32(4711, true), ...u32(100, true)] : GPS_LATITUDE)] : [],
  );
}

/** What the stripper is expected to leave: big-endian, one IFD, one entry. */
const minimalTiff = (orientation: number): Uint8Array =>
  bytes('MM', 0, 42, u32(8), u16(1), u16(0x0112), u16(3), u32(1), u16(orientation), 0, 0, u32(0));

// ---- JPEG ----

const segment = (marker: number, ...payload: Part[]): Uint8Array => {
  const data = bytes(...payload);
  return bytes(0xff, marker, u16(data.length + 2), data);
};

const APP0_JFIF = segment(0xe0, 'JFIF\0', 1, 1, 0, u16(72), u16(72), 0, 0);
const APP2_ICC = segment(0xe2, 'ICC_PROFILE\0', 1, 1, 'profile', 0xff, 0xd9, 0xff, 0x00);
const APP14_ADOBE = segment(0xee, 'Adobe', u16(100), u16(0), u16(0), 1);
const DQT = segment(0xdb, 0, new Uint8Array(64).fill(1));
const SOF0 = segment(0xc0, 8, u16(16), u16(16), 3, [1, 0x22, 0], [2, 0x11, 1], [3, 0x11, 1]);
// Table values may hold any byte, even what looks like EOI: a walker must trust lengths, not search.
const DHT = segment(0xc4, 0x00, 1, new Uint8Array(15), 0xff, 0xd9);
const SOS = segment(0xda, 3, [1, 0x00], [2, 0x11], [3, 0x11], 0, 63, 0);
/** Entropy-coded data with byte stuffing (FF00) and restart markers. */
const SCAN = bytes(0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a, 0xff, 0x00, 0xff, 0xd1, 0xbc);
const EOI = bytes(0xff, 0xd9);

function jpeg(opts: { orientation?: number; little?: boolean } = {}): Uint8Array {
  const exif = tiff({ little: opts.little ?? true, gps: true, ...opts });
  return bytes(
    0xff,
    0xd8,
    APP0_JFIF,
    segment(0xe1, 'Exif\0\0', exif),
    segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Canon secret</x:xmpmeta>'),
    APP2_ICC,
    segment(0xe2, 'MPF\0', 'Canon', 0xff, 0xd9),
    segment(0xec, 'Ducky', 0, 1),
    segment(0xed, 'Photoshop 3.0\0', '8BIM', 4, 4, 'secret caption'),
    APP14_ADOBE,
    segment(0xfe, 'a secret comment'),
    0xff, // fill bytes before a marker
    0xff,
    DQT,
    SOF0,
    DHT,
    SOS,
    SCAN,
    EOI,
    'Canon trailer after EOI',
  );
}

type Piece = { marker: number; bytes: Uint8Array };

/** A second, minimal JPEG parser, to check that the output still walks: each segment (SOS with its scan). */
function jpegPieces(image: Uint8Array): Piece[] {
  expect([image[0], image[1]]).toEqual([0xff, 0xd8]);
  const pieces: Piece[] = [{ marker: 0xd8, bytes: image.subarray(0, 2) }];
  let pos = 2;
  for (;;) {
    expect(image[pos]).toBe(0xff);
    while (image[pos + 1] === 0xff) pos++;
    const marker = image[pos + 1] ?? -1;
    let end = pos + 2;
    if (marker === 0xd9) {
      pieces.push({ marker, bytes: image.subarray(pos, end) });
      expect(end).toBe(image.length);
      return pieces;
    }
    if (marker < 0xd0 || marker > 0xd7) end += ((image[pos + 2] ?? 0) << 8) + (image[pos + 3] ?? 0);
    if (marker === 0xda) {
      while (end < image.length && !(image[end] === 0xff && ![0, 0xd0, 0xd1].includes(image[end + 1] ?? 0))) end++;
    }
    expect(end).toBeLessThanOrEqual(image.length);
    pieces.push({ marker, bytes: image.subarray(pos, end) });
    pos = end;
  }
}

describe('stripImageMetadata: JPEG', () => {
  it('removes Exif with GPS, XMP, IPTC, comments and trailers, and keeps the picture byte for byte', () => {
    const input = jpeg({ orientation: 1 });
    const result = stripImageMetadata(input, 'image/jpeg');

    expect(result.stripped).toBe(true);
    expect([...result.kinds].sort()).toEqual(
      ['app12', 'comment', 'exif', 'gps', 'iptc', 'mpf', 'trailer', 'xmp'].sort(),
    );
    expect(result.orientation).toBe(1);
    for (const secret of ['Exif', 'Canon', 'secret', 'Photoshop', 'Ducky', 'MPF', 'xmpmeta', GPS_LATITUDE]) {
      expect(contains(result.bytes, secret)).toBe(false);
    }
    const pieces = jpegPieces(result.bytes);
    expect(pieces.map((piece) => piece.marker)).toEqual([0xd8, 0xe0, 0xe2, 0xee, 0xdb, 0xc0, 0xc4, 0xda, 0xd9]);
    expect(pieces[1]?.bytes).toEqual(APP0_JFIF);
    expect(pieces[2]?.bytes).toEqual(APP2_ICC);
    expect(pieces[3]?.bytes).toEqual(APP14_ADOBE);
    expect(pieces[7]?.bytes).toEqual(bytes(SOS, SCAN));
    // Everything from the tables to EOI is exactly the input's.
    expect(result.bytes.subarray(indexOf(result.bytes, DQT))).toEqual(bytes(DQT, SOF0, DHT, SOS, SCAN, EOI));
  });

  it('keeps a rotated photo upright: the orientation alone, in a minimal Exif, where the Exif was', () => {
    for (const little of [true, false]) {
      const result = stripImageMetadata(jpeg({ orientation: 6, little }), 'image/jpeg');

      expect(result.orientation).toBe(6);
      expect(result.kinds).toContain('exif');
      expect(result.kinds).toContain('gps');
      const pieces = jpegPieces(result.bytes);
      expect(pieces.map((piece) => piece.marker).slice(0, 4)).toEqual([0xd8, 0xe0, 0xe1, 0xe2]);
      expect(pieces[2]?.bytes).toEqual(segment(0xe1, 'Exif\0\0', minimalTiff(6)));
      expect(contains(result.bytes, 'Canon')).toBe(false);
      expect(contains(result.bytes, GPS_LATITUDE)).toBe(false);
    }
  });

  it('reads no orientation from Exif that has none, or a value outside 1..8', () => {
    const none = bytes(0xff, 0xd8, segment(0xe1, 'Exif\0\0', tiff({ little: false })), DQT, SOS, SCAN, EOI);
    const odd = bytes(0xff, 0xd8, segment(0xe1, 'Exif\0\0', tiff({ little: false, orientation: 9 })), SOS, EOI);
    for (const input of [none, odd]) {
      const result = stripImageMetadata(input, 'image/jpeg');
      expect(result.orientation).toBeUndefined();
      expect(contains(result.bytes, 'Exif')).toBe(false);
    }
  });

  it('walks on between the scans of a progressive JPEG', () => {
    const secondScan = bytes(0x01, 0xff, 0x00, 0x02, 0xff, 0xd7, 0x03);
    const input = bytes(0xff, 0xd8, DQT, SOF0, DHT, SOS, SCAN, DHT, segment(0xfe, 'hi'), SOS, secondScan, EOI);
    const result = stripImageMetadata(input, 'image/jpeg');

    expect(result.kinds).toEqual(['comment']);
    expect(result.bytes).toEqual(bytes(0xff, 0xd8, DQT, SOF0, DHT, SOS, SCAN, DHT, SOS, secondScan, EOI));
  });

  it('steps over markers without a length (TEM, RSTn) outside a scan', () => {
    const input = bytes(0xff, 0xd8, segment(0xfe, 'x'), 0xff, 0x01, 0xff, 0xd3, DQT, SOS, SCAN, EOI);
    const result = stripImageMetadata(input, 'image/jpeg');
    expect(result.bytes).toEqual(bytes(0xff, 0xd8, 0xff, 0x01, 0xff, 0xd3, DQT, SOS, SCAN, EOI));
  });

  it('returns the very input when there is nothing to remove', () => {
    const input = bytes(0xff, 0xd8, APP0_JFIF, APP2_ICC, DQT, SOF0, DHT, SOS, SCAN, EOI);
    expect(stripImageMetadata(input, 'image/jpeg')).toEqual({ bytes: input, stripped: false, kinds: [] });
    expect(stripImageMetadata(input, 'image/jpeg').bytes).toBe(input);
  });

  it('is idempotent: stripping twice is stripping once', () => {
    for (const orientation of [1, 6, undefined]) {
      const once = stripImageMetadata(jpeg(orientation === undefined ? {} : { orientation }), 'image/jpeg');
      const twice = stripImageMetadata(once.bytes, 'image/jpeg');
      expect(twice.bytes).toEqual(once.bytes);
      expect(twice.stripped).toBe(false);
      expect(twice.orientation).toBe(orientation === 1 ? undefined : orientation);
    }
  });

  it('returns a file cut anywhere before its scan unchanged, and never throws on a cut scan', () => {
    const input = jpeg({ orientation: 6 });
    const scanStart = indexOf(input, SOS) + SOS.length;
    for (let length = 0; length <= input.length; length++) {
      const cut = input.slice(0, length);
      const result = stripImageMetadata(cut, 'image/jpeg');
      if (length < scanStart) expect(result).toEqual({ bytes: cut, stripped: false, kinds: [] });
      else expect(contains(result.bytes, 'Canon')).toBe(false);
    }
  });

  it('returns malformed files unchanged', () => {
    const malformed = [
      bytes(0xff, 0xd8, 0xff, 0xdb, 0x00, 0x01, SOS, EOI), // a length below 2
      bytes(0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 'Exif\0\0'), // a length past the end
      bytes(0xff, 0xd8, segment(0xfe, 'x'), 0x00, DQT, SOS, EOI), // no marker where one must be
      bytes(0xff, 0xd8, segment(0xfe, 'x'), 0xff, 0x00, u16(4), 0, 0, SOS, EOI), // FF00 outside a scan
      bytes(0xff, 0xd8, segment(0xfe, 'x'), 0xff, 0xd8, u16(4), 0, 0, SOS, EOI), // a second SOI
      bytes(0xff, 0xd8, segment(0xfe, 'x'), 0xff, 0xff, 0xff), // fill bytes up to the end
    ];
    for (const input of malformed) {
      expect(stripImageMetadata(input, 'image/jpeg')).toEqual({ bytes: input, stripped: false, kinds: [] });
    }
  });

  it('drops Exif it cannot read, without throwing', () => {
    const broken = [
      bytes('XX', 0, 42, u32(8)),
      bytes('MM', 0, 43, u32(8)),
      bytes('MM', 0, 42, u32(0xffffffff)),
      bytes('II', 42, 0, u32(8), u16(0xffff, true), u16(0x0112, true)),
      bytes('MM'),
    ];
    for (const exif of broken) {
      const input = bytes(0xff, 0xd8, segment(0xe1, 'Exif\0\0', exif), SOS, SCAN, EOI);
      const result = stripImageMetadata(input, 'image/jpeg');
      expect(result).toEqual({ bytes: bytes(0xff, 0xd8, SOS, SCAN, EOI), stripped: true, kinds: ['exif'] });
    }
  });
});

// ---- PNG ----

/** Bit by bit, unlike the module's table, so a wrong table would show. */
function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, ...data: Part[]): Uint8Array {
  const body = bytes(type, ...data);
  return bytes(u32(body.length - 4), body, u32(crc32(body)));
}

const PNG_SIGNATURE = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a);
const IHDR = chunk('IHDR', u32(16), u32(16), 8, 6, 0, 0, 0);
const ICCP = chunk('iCCP', 'icc\0', 0, 0x78, 0x9c, 0xff, 0xd9);
const ACTL = chunk('acTL', u32(1), u32(0));
const IDAT = chunk('IDAT', 0x78, 0x9c, 'pixels', 0xff, 0x00);
const IEND = chunk('IEND');

function png(orientation?: number): Uint8Array {
  return bytes(
    PNG_SIGNATURE,
    IHDR,
    chunk('tEXt', 'Comment\0a secret place'),
    chunk('eXIf', tiff({ little: false, gps: true, ...(orientation === undefined ? {} : { orientation }) })),
    ICCP,
    chunk('zTXt', 'Author\0', 0, 0x78, 0x9c),
    chunk('iTXt', 'XML:com.adobe.xmp\0', 0, 0, 0, 0, '<x:xmpmeta/>'),
    chunk('tIME', u16(2024), 5, 1, 12, 0, 0),
    ACTL,
    IDAT,
    IEND,
    'an uncropped secret after IEND',
  );
}

function pngChunks(image: Uint8Array): { type: string; bytes: Uint8Array }[] {
  expect(image.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  const chunks = [];
  for (let pos = 8; pos < image.length;) {
    const length = new DataView(image.buffer, image.byteOffset).getUint32(pos);
    const whole = image.subarray(pos, pos + 12 + length);
    expect(whole.length).toBe(12 + length);
    const crc = new DataView(whole.buffer, whole.byteOffset).getUint32(8 + length);
    expect(crc).toBe(crc32(whole.subarray(4, 8 + length)));
    chunks.push({ type: String.fromCharCode(...whole.subarray(4, 8)), bytes: whole });
    pos += whole.length;
  }
  return chunks;
}

describe('stripImageMetadata: PNG', () => {
  it('removes eXIf, text, XMP and tIME chunks and what follows IEND; keeps every other chunk as it was', () => {
    const result = stripImageMetadata(png(1), 'image/png');

    expect([...result.kinds].sort()).toEqual(['exif', 'gps', 'text', 'time', 'trailer', 'xmp']);
    expect(result.orientation).toBe(1);
    expect(result.bytes).toEqual(bytes(PNG_SIGNATURE, IHDR, ICCP, ACTL, IDAT, IEND));
    expect(pngChunks(result.bytes).map((c) => c.type)).toEqual(['IHDR', 'iCCP', 'acTL', 'IDAT', 'IEND']);
  });

  it('keeps the orientation alone in a minimal eXIf with a correct CRC', () => {
    const result = stripImageMetadata(png(8), 'image/png');

    expect(result.orientation).toBe(8);
    const chunks = pngChunks(result.bytes);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'eXIf', 'iCCP', 'acTL', 'IDAT', 'IEND']);
    expect(chunks[1]?.bytes).toEqual(chunk('eXIf', minimalTiff(8)));
    expect(contains(result.bytes, GPS_LATITUDE)).toBe(false);
    expect(contains(result.bytes, 'Canon')).toBe(false);
  });

  it('is idempotent', () => {
    for (const orientation of [1, 8]) {
      const once = stripImageMetadata(png(orientation), 'image/png');
      const twice = stripImageMetadata(once.bytes, 'image/png');
      expect(twice.bytes).toBe(once.bytes);
      expect(twice.stripped).toBe(false);
    }
  });

  it('returns truncated or malformed files unchanged', () => {
    const input = png(8);
    for (let length = 0; length < input.length - 'an uncropped secret after IEND'.length; length++) {
      const cut = input.slice(0, length);
      expect(stripImageMetadata(cut, 'image/png')).toEqual({ bytes: cut, stripped: false, kinds: [] });
    }
    const badType = bytes(PNG_SIGNATURE, IHDR, u32(0), 'e1IF', u32(0), IEND);
    const hugeLength = bytes(PNG_SIGNATURE, IHDR, u32(0xffffffff), 'tEXt', u32(0), IEND);
    for (const malformed of [badType, hugeLength]) {
      expect(stripImageMetadata(malformed, 'image/png').bytes).toBe(malformed);
    }
  });
});

// ---- WebP ----

function riffChunk(fourcc: string, ...data: Part[]): Uint8Array {
  const body = bytes(...data);
  return bytes(fourcc, u32(body.length, true), body, body.length % 2 ? [0] : []);
}

const webpFile = (...chunks: Uint8Array[]): Uint8Array => {
  const body = bytes(...chunks);
  return bytes('RIFF', u32(body.length + 4, true), 'WEBP', body);
};

const ICC = 0x20;
const ALPHA = 0x10;
const EXIF = 0x08;
const XMP = 0x04;
const vp8x = (flags: number): Uint8Array => riffChunk('VP8X', flags, 0, 0, 0, [15, 0, 0], [15, 0, 0]);
const WEBP_ICCP = riffChunk('ICCP', 'icc', 0xff, 0xd9); // odd: padded
const VP8L = riffChunk('VP8L', 0x2f, 0x0f, 0xc0, 0x03, 0xff, 0x00, 0x01); // odd: padded

function webp(orientation?: number): Uint8Array {
  return webpFile(
    vp8x(ICC | ALPHA | EXIF | XMP),
    WEBP_ICCP,
    VP8L,
    riffChunk('EXIF', tiff({ little: true, gps: true, ...(orientation === undefined ? {} : { orientation }) }), 0),
    riffChunk('XMP ', '<x:xmpmeta>secret</x:xmpmeta>'),
  );
}

describe('stripImageMetadata: WebP', () => {
  it('removes EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size', () => {
    const result = stripImageMetadata(bytes(webp(1), 'trailing'), 'image/webp');

    expect([...result.kinds].sort()).toEqual(['exif', 'gps', 'trailer', 'xmp']);
    expect(result.bytes).toEqual(webpFile(vp8x(ICC | ALPHA), WEBP_ICCP, VP8L));
    expect(contains(result.bytes, 'secret')).toBe(false);
  });

  it('keeps the orientation alone in a minimal EXIF chunk, with the EXIF flag', () => {
    const result = stripImageMetadata(webp(6), 'image/webp');

    expect(result.orientation).toBe(6);
    expect(result.bytes).toEqual(
      webpFile(vp8x(ICC | ALPHA | EXIF), WEBP_ICCP, VP8L, riffChunk('EXIF', minimalTiff(6))),
    );
  });

  it('drops EXIF from a simple WebP, which cannot declare it', () => {
    const input = webpFile(VP8L, riffChunk('EXIF', tiff({ little: true, orientation: 6 })));
    const result = stripImageMetadata(input, 'image/webp');
    expect(result).toEqual({ bytes: webpFile(VP8L), stripped: true, kinds: ['exif'], orientation: 6 });
  });

  it('is idempotent', () => {
    for (const orientation of [1, 6]) {
      const once = stripImageMetadata(webp(orientation), 'image/webp');
      const twice = stripImageMetadata(once.bytes, 'image/webp');
      expect(twice.bytes).toBe(once.bytes);
      expect(twice.stripped).toBe(false);
    }
  });

  it('returns truncated or malformed files unchanged', () => {
    const input = webp(6);
    for (let length = 0; length < input.length; length++) {
      const cut = input.slice(0, length);
      expect(stripImageMetadata(cut, 'image/webp')).toEqual({ bytes: cut, stripped: false, kinds: [] });
    }
    const overflowing = bytes('RIFF', u32(20, true), 'WEBP', 'EXIF', u32(0xfffffff0, true), 0, 0, 0, 0);
    expect(stripImageMetadata(overflowing, 'image/webp').bytes).toBe(overflowing);
  });
});

describe('stripImageMetadata: types', () => {
  it('leaves GIF, AVIF and non-images as they are', () => {
    const input = jpeg({ orientation: 6 });
    for (const type of ['image/gif', 'image/avif', 'application/octet-stream', '']) {
      expect(stripImageMetadata(input, type)).toEqual({ bytes: input, stripped: false, kinds: [] });
    }
  });

  it('goes by the bytes among the image types it rewrites, so a misnamed photo keeps no GPS', () => {
    for (const type of ['image/png', 'image/webp', 'IMAGE/JPEG; q=1']) {
      expect(stripImageMetadata(jpeg(), type).kinds).toContain('gps');
    }
    expect(stripImageMetadata(png(), 'image/jpeg').kinds).toContain('gps');
    const notAnImage = bytes('GIF89a', 0, 0);
    expect(stripImageMetadata(notAnImage, 'image/jpeg').bytes).toBe(notAnImage);
  });

  it('never throws on random damage', () => {
    let seed = 42;
    const random = (below: number): number => {
      seed = (seed * 1103515245 + 12345) % 0x80000000;
      return seed % below;
    };
    const samples: [Uint8Array, string][] = [
      [jpeg({ orientation: 6 }), 'image/jpeg'],
      [png(8), 'image/png'],
      [webp(6), 'image/webp'],
    ];
    for (const [image, type] of samples) {
      for (let round = 0; round < 500; round++) {
        const damaged = image.slice(0, random(image.length + 1));
        for (let flips = 0; flips < 3 && damaged.length > 0; flips++) damaged[random(damaged.length)] = random(256);
        expect(() => stripImageMetadata(damaged, type)).not.toThrow();
      }
    }
  });
});
