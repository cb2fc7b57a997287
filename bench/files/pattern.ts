import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** The large file is written in blocks of this size: one buffer, reused, so memory stays flat at any file size. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** `length` bytes of a xorshift32 stream from `seed`: cheap, deterministic, and not compressible. */
export function noiseBytes(length: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(length / 4));
  let x = (seed * 2_654_435_761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, length);
}

/**
 * Writes `bytes` bytes to `file`, streamed block by block: every block is the seed's noise with its own index
 * in its first 8 bytes, so no two blocks, and no two seeds' files, are alike (the hub stores each content once,
 * and a repeated block would hide a misplaced chunk). Fsynced, so its write-back does not land in a timed
 * transfer. Resolves with the file's SHA-256.
 */
export async function writePatternFile(file: string, bytes: number, seed: number): Promise<string> {
  const block = noiseBytes(BLOCK_BYTES, seed);
  const hash = createHash('sha256');
  const handle = await open(file, 'w');
  try {
    for (let offset = 0, index = 0; offset < bytes; offset += BLOCK_BYTES, index++) {
      block.writeBigUInt64BE(BigInt(index), 0);
      const piece = block.subarray(0, Math.min(BLOCK_BYTES, bytes - offset));
      hash.update(piece);
      // Awaited before the block changes: the buffer is reused.
      await handle.write(piece, 0, piece.length, offset);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export type BenchImage = { name: string; bytes: Buffer; width: number; height: number };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Image `index` of `count`: PNG-like bytes (the PNG signature and an IHDR header with its size, then noise), so
 * the hub serves it inline as image/png, as it would a photo; sizes spread evenly over [minBytes, maxBytes].
 */
export function benchImage(index: number, count: number, minBytes: number, maxBytes: number): BenchImage {
  const size = minBytes + Math.round(((maxBytes - minBytes) * ((index * 37) % count)) / Math.max(1, count - 1));
  const width = 640 + (index % 5) * 160;
  const height = 480 + (index % 3) * 120;
  const bytes = noiseBytes(size, 1000 + index);
  Buffer.from(PNG_SIGNATURE).copy(bytes, 0);
  // IHDR: length 13, type, width, height, 8-bit RGBA; the CRC is left as noise, nothing here decodes it.
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.set([8, 6, 0, 0, 0], 24);
  return { name: `photo-${String(index + 1).padStart(3, '0')}.png`, bytes, width, height };
}
