/**
 * Removes what a picture says about where, when and with what it was taken (Exif with GPS, XMP, IPTC, comments,
 * PNG text) before it leaves this device, without decoding a single pixel: the container is walked and its
 * metadata segments are left out, so quality and size stay as they were. Pure, so every client strips the same way.
 *
 * Only JPEG, PNG and WebP are rewritten. GIF carries no camera metadata in practice (its comment and application
 * extensions are not written by cameras or phones). AVIF and HEIF keep Exif and XMP as items of an ISOBMFF box tree
 * whose offsets (iloc) would all have to be rewritten: that needs a rewriter of its own, so they pass unchanged.
 *
 * A file that does not parse is returned as it came, with `stripped: false`: never throwing lets the caller decide
 * (send as is, or warn), and a half-understood file is better not cut.
 */

/** What was removed; `gps` is reported besides `exif` when the Exif held a location. */
export type MetadataKind =
  'exif' | 'gps' | 'xmp' | 'iptc' | 'comment' | 'app1' | 'app2' | 'mpf' | 'app12' | 'text' | 'time' | 'trailer';

export type StripResult = {
  /** The image without its metadata; the very input when nothing was removed. */
  bytes: Uint8Array;
  /** Whether anything was removed. */
  stripped: boolean;
  /** What was removed, each kind once. */
  kinds: MetadataKind[];
  /** The Exif orientation (1..8) the image had; when not 1 it is kept, alone, in a minimal Exif. */
  orientation?: number;
};

/** Exif orientation 1 is "as stored": nothing to keep. */
const UPRIGHT = 1;
const ORIENTATION_TAG = 0x0112;
const GPS_IFD_TAG = 0x8825;
const TIFF_SHORT = 3;

const EXIF_PREFIX = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"; a few writers pad with 0xFF instead
const ICC_PREFIX = ascii('ICC_PROFILE\0');
const MPF_PREFIX = ascii('MPF\0');
const XMP_PREFIX = ascii('http://ns.adobe.com/');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function stripImageMetadata(bytes: Uint8Array, type: string): StripResult {
  const mime = type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mime !== 'image/jpeg' && mime !== 'image/png' && mime !== 'image/webp') return unchanged(bytes);
  // The declared type says the sender meant a picture; the bytes say which one (a .png that is really a JPEG
  // must not keep its GPS because of its name).
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return stripJpeg(bytes);
  if (startsWith(bytes, PNG_SIGNATURE)) return stripPng(bytes);
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes.subarray(8), ascii('WEBP'))) return stripWebp(bytes);
  return unchanged(bytes);
}

// ---- JPEG: marker segments (ITU T.81 B.1) ----

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP12 = 0xec;
const APP13 = 0xed;
const COM = 0xfe;

function stripJpeg(src: Uint8Array): StripResult {
  const out = new Output(src);
  out.keep(0, 2);
  let pos = 2;
  for (;;) {
    if (src[pos] !== 0xff) return unchanged(src);
    while (src[pos + 1] === 0xff) pos++; // fill bytes may pad any marker; they are left out
    const marker = src[pos + 1];
    if (marker === undefined || marker === 0x00 || marker === SOI) return unchanged(src);
    if (marker === EOI) {
      out.keep(pos, pos + 2);
      // After EOI: MPF's extra images, motion-photo videos, an editor's leftovers; none is part of this picture,
      // and they carry metadata of their own.
      if (pos + 2 < src.length) out.removed('trailer');
      return out.result();
    }
    if (isStandaloneMarker(marker)) {
      out.keep(pos, pos + 2);
      pos += 2;
      continue;
    }
    if (pos + 4 > src.length) return unchanged(src);
    const end = pos + 2 + readU16(src, pos + 2, false);
    if (end < pos + 4 || end > src.length) return unchanged(src);
    if (marker === SOS) {
      // Progressive files have several scans, with tables (and possibly metadata) between them: walk on after each.
      const scanEnd = endOfScan(src, end);
      out.keep(pos, scanEnd);
      if (scanEnd === src.length) return out.result(); // truncated scan: browsers show what there is, so do we
      pos = scanEnd;
      continue;
    }
    jpegSegment(out, marker, pos, end);
    pos = end;
  }
}

/** TEM and RST0-7 have no length. */
function isStandaloneMarker(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** Where the entropy-coded data from `from` ends: at the first 0xFF that is neither stuffing (FF00) nor RSTn. */
function endOfScan(src: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    const ff = src.indexOf(0xff, i);
    if (ff < 0 || ff + 1 >= src.length) return src.length;
    const next = src[ff + 1] ?? 0;
    if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return ff;
    i = ff + 2;
  }
}

function jpegSegment(out: Output, marker: number, start: number, end: number): void {
  const payload = out.src.subarray(start + 4, end);
  if (marker === APP1) {
    if (!startsWith(payload, EXIF_PREFIX.slice(0, 5))) {
      return out.removed(startsWith(payload, XMP_PREFIX) ? 'xmp' : 'app1');
    }
    const minimal = out.exif(payload.subarray(EXIF_PREFIX.length));
    return out.replace(start, end, 'exif', minimal && jpegSegmentOf(APP1, [...EXIF_PREFIX, ...minimal]));
  }
  // An ICC profile is how the pixels are meant to look: dropping it would change the colours.
  if (marker === APP2 && !startsWith(payload, ICC_PREFIX)) {
    return out.removed(startsWith(payload, MPF_PREFIX) ? 'mpf' : 'app2');
  }
  if (marker === APP12) return out.removed('app12');
  if (marker === APP13) return out.removed('iptc'); // Photoshop resources: IPTC captions, keywords, creator
  if (marker === COM) return out.removed('comment');
  // APP0 (JFIF), APP14 (Adobe colour transform, needed to decode CMYK/YCCK) and every table stay.
  out.keep(start, end);
}

function jpegSegmentOf(marker: number, payload: number[]): Uint8Array {
  const length = payload.length + 2;
  return Uint8Array.from([0xff, marker, length >> 8, length & 0xff, ...payload]);
}

// ---- PNG: chunks (PNG spec, 5.3) ----

function stripPng(src: Uint8Array): StripResult {
  const out = new Output(src);
  out.keep(0, PNG_SIGNATURE.length);
  let pos = PNG_SIGNATURE.length;
  for (;;) {
    if (pos + 12 > src.length) return unchanged(src);
    const length = readU32(src, pos, false);
    const end = pos + 12 + length;
    const type = String.fromCharCode(...src.subarray(pos + 4, pos + 8));
    if (end > src.length || !/^[A-Za-z]{4}$/.test(type)) return unchanged(src);
    const data = src.subarray(pos + 8, end - 4);
    if (type === 'eXIf') {
      // The chunk holds bare TIFF; some writers put the JPEG "Exif\0\0" before it anyway.
      const minimal = out.exif(startsWith(data, EXIF_PREFIX) ? data.subarray(EXIF_PREFIX.length) : data);
      out.replace(pos, end, 'exif', minimal && pngChunkOf('eXIf', minimal));
    } else if (type === 'tEXt' || type === 'zTXt') out.removed('text');
    else if (type === 'iTXt') out.removed(startsWith(data, ascii('XML:com.adobe.xmp\0')) ? 'xmp' : 'text');
    else if (type === 'tIME') out.removed('time');
    else out.keep(pos, end); // CRCs cover type and data only, so kept chunks stay valid wherever they move
    if (type === 'IEND') {
      if (end < src.length) out.removed('trailer'); // what follows IEND can be a whole uncropped image
      return out.result();
    }
    pos = end;
  }
}

function pngChunkOf(type: string, data: number[]): Uint8Array {
  const chunk = Uint8Array.from([...u32Bytes(data.length, false), ...ascii(type), ...data, 0, 0, 0, 0]);
  chunk.set(u32Bytes(crc32(chunk.subarray(4, chunk.length - 4)), false), chunk.length - 4);
  return chunk;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---- WebP: RIFF chunks (WebP container specification) ----

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(src: Uint8Array): StripResult {
  const riffEnd = 8 + readU32(src, 4, true);
  if (src.length < 12 || riffEnd < 12 || riffEnd > src.length) return unchanged(src);
  const out = new Output(src);
  let vp8x: { index: number; chunk: Uint8Array } | undefined;
  let pos = 12;
  while (pos < riffEnd) {
    const fourcc = String.fromCharCode(...src.subarray(pos, pos + 4));
    const size = readU32(src, pos + 4, true);
    // Odd sizes carry one byte of padding. A header cut at riffEnd reads as size 0 and fails this check too.
    const end = pos + 8 + size + (size & 1);
    if (end > riffEnd) return unchanged(src);
    if (fourcc === 'VP8X' && size >= 10 && !vp8x) {
      vp8x = { index: out.pieces.length, chunk: src.slice(pos, end) };
      out.keep(pos, end);
    } else if (fourcc === 'EXIF') {
      const data = src.subarray(pos + 8, pos + 8 + size);
      const minimal = out.exif(startsWith(data, EXIF_PREFIX) ? data.subarray(EXIF_PREFIX.length) : data);
      // Without VP8X a WebP cannot declare Exif, so there is nowhere to keep the orientation.
      out.replace(pos, end, 'exif', minimal && vp8x && riffChunkOf('EXIF', minimal));
    } else if (fourcc === 'XMP ') out.removed('xmp');
    else out.keep(pos, end);
    pos = end;
  }
  if (riffEnd < src.length) out.removed('trailer');
  if (out.kinds.length === 0) return out.result();
  if (vp8x) {
    const flags = vp8x.chunk[8] ?? 0;
    vp8x.chunk[8] = out.keptExif ? flags & ~VP8X_XMP : flags & ~(VP8X_EXIF | VP8X_XMP);
    out.pieces[vp8x.index] = vp8x.chunk;
  }
  const body = concat(out.pieces);
  const header = Uint8Array.from([...ascii('RIFF'), ...u32Bytes(body.length + 4, true), ...ascii('WEBP')]);
  return { ...out.result(), bytes: concat([header, body]) };
}

function riffChunkOf(fourcc: string, data: number[]): Uint8Array {
  const pad = data.length & 1 ? [0] : [];
  return Uint8Array.from([...ascii(fourcc), ...u32Bytes(data.length, true), ...data, ...pad]);
}

// ---- Exif (TIFF 6.0): only IFD0 is read, for the orientation and the GPS pointer ----

function readExif(tiff: Uint8Array): { orientation?: number; gps: boolean } {
  const little = tiff[0] === 0x49 && tiff[1] === 0x49; // "II"; "MM" is big-endian
  if (tiff.length < 8 || (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d))) return { gps: false };
  if (readU16(tiff, 2, little) !== 42) return { gps: false };
  const ifd = readU32(tiff, 4, little);
  if (ifd + 2 > tiff.length) return { gps: false };
  let orientation: number | undefined;
  let gps = false;
  const count = readU16(tiff, ifd, little);
  for (let entry = ifd + 2; entry < ifd + 2 + count * 12 && entry + 12 <= tiff.length; entry += 12) {
    const tag = readU16(tiff, entry, little);
    if (tag === GPS_IFD_TAG) gps = true;
    if (tag !== ORIENTATION_TAG || readU16(tiff, entry + 2, little) !== TIFF_SHORT) continue;
    if (readU32(tiff, entry + 4, little) !== 1) continue;
    const value = readU16(tiff, entry + 8, little);
    if (value >= 1 && value <= 8) orientation = value;
  }
  return orientation === undefined ? { gps } : { orientation, gps };
}

/** A big-endian TIFF with one IFD holding one entry, the orientation: 26 bytes. */
function minimalTiff(orientation: number): number[] {
  const header = [0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]; // "MM", 42, IFD0 at 8
  const entry = [0x01, 0x12, 0x00, TIFF_SHORT, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00];
  return [...header, 0x00, 0x01, ...entry, 0x00, 0x00, 0x00, 0x00]; // one entry, then no next IFD
}

// ---- Output: the kept pieces, what was removed ----

class Output {
  readonly pieces: Uint8Array[] = [];
  readonly kinds: MetadataKind[] = [];
  orientation: number | undefined;
  /** A minimal Exif went out already: a second Exif block must not add another. */
  keptExif = false;

  readonly src: Uint8Array;

  constructor(src: Uint8Array) {
    this.src = src;
  }

  keep(start: number, end: number): void {
    this.pieces.push(this.src.subarray(start, end));
  }

  removed(kind: MetadataKind): void {
    if (!this.kinds.includes(kind)) this.kinds.push(kind);
  }

  /** Reads an Exif block about to go; returns the minimal TIFF to keep in its place, if the orientation needs one. */
  exif(tiff: Uint8Array): number[] | undefined {
    const { orientation, gps } = readExif(tiff);
    if (gps) this.removed('gps');
    if (orientation === undefined || this.orientation !== undefined) return undefined;
    this.orientation = orientation;
    return orientation === UPRIGHT ? undefined : minimalTiff(orientation);
  }

  /** Puts `replacement` where src[start, end) was; when it is the same bytes, nothing counts as removed. */
  replace(start: number, end: number, kind: MetadataKind, replacement: Uint8Array | undefined | false): void {
    if (!replacement) return this.removed(kind);
    this.keptExif = true;
    if (!equalBytes(replacement, this.src.subarray(start, end))) this.removed(kind);
    this.pieces.push(replacement);
  }

  result(): StripResult {
    const orientation = this.orientation === undefined ? {} : { orientation: this.orientation };
    if (this.kinds.length === 0) return { bytes: this.src, stripped: false, kinds: [], ...orientation };
    return { bytes: concat(this.pieces), stripped: true, kinds: this.kinds, ...orientation };
  }
}

// ---- bytes ----

function unchanged(bytes: Uint8Array): StripResult {
  return { bytes, stripped: false, kinds: [] };
}

function ascii(text: string): number[] {
  return Array.from(text, (char) => char.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => b[i] === byte);
}

/** Reads past the end as 0: callers check bounds before they trust a value. */
function readU16(bytes: Uint8Array, at: number, little: boolean): number {
  const [a = 0, b = 0] = [bytes[at], bytes[at + 1]];
  return little ? a | (b << 8) : (a << 8) | b;
}

function readU32(bytes: Uint8Array, at: number, little: boolean): number {
  const high = readU16(bytes, little ? at + 2 : at, little);
  const low = readU16(bytes, little ? at : at + 2, little);
  return high * 0x10000 + low;
}

function u32Bytes(value: number, little: boolean): number[] {
  const big = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return little ? big.reverse() : big;
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
