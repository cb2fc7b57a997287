import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageTypeOf } from '../../main/hub/files/imageMagic';
import { benchImage, writePatternFile } from './pattern';

describe('writePatternFile', () => {
  it('writes the bytes it hashes, with no two 4 MiB blocks and no two seeds alike', async () => {
    const file = path.join(os.tmpdir(), `roost-pattern-${process.pid}`);
    try {
      const size = 9 * 1024 * 1024 + 5;
      const sha256 = await writePatternFile(file, size, 1);
      const bytes = await readFile(file);
      expect(bytes.length).toBe(size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
      const block = 4 * 1024 * 1024;
      expect(bytes.subarray(0, block).equals(bytes.subarray(block, 2 * block))).toBe(false);
      expect(await writePatternFile(file, size, 2)).not.toBe(sha256);
    } finally {
      await rm(file, { force: true });
    }
  });
});

describe('benchImage', () => {
  it('makes distinct PNG-like images the hub serves inline, sized within the bounds', () => {
    const images = Array.from({ length: 100 }, (_, i) => benchImage(i, 100, 50_000, 200_000));
    for (const image of images) {
      expect(imageTypeOf(image.bytes)).toBe('image/png');
      expect(image.bytes.readUInt32BE(16)).toBe(image.width);
      expect(image.bytes.length).toBeGreaterThanOrEqual(50_000);
      expect(image.bytes.length).toBeLessThanOrEqual(200_000);
    }
    const sizes = images.map((i) => i.bytes.length);
    expect(Math.min(...sizes)).toBe(50_000);
    expect(Math.max(...sizes)).toBe(200_000);
    expect(new Set(images.map((i) => createHash('sha256').update(i.bytes).digest('hex'))).size).toBe(100);
  });
});
