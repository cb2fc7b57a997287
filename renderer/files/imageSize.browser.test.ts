import { describe, expect, test } from 'vitest';
import { hashFile } from './hashFile';
import { imageSizeOf } from './imageSize';

/** What a file is measured by before it is uploaded, in Chromium: its hash and, for a picture, its size. */

async function png(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.fillRect(0, 0, width, height);
  return canvas.convertToBlob({ type: 'image/png' });
}

describe('imageSizeOf', () => {
  test('measures a picture the timeline shows inline', async () => {
    expect(await imageSizeOf(await png(37, 21), 'image/png')).toEqual({ width: 37, height: 21 });
  });

  test('does not measure other types, or bytes that are no picture', async () => {
    expect(await imageSizeOf(await png(5, 5), 'image/svg+xml')).toBeUndefined();
    expect(await imageSizeOf(new Blob(['not a picture']), 'image/png')).toBeUndefined();
  });
});

describe('hashFile', () => {
  test("reads a Blob's stream into its SHA-256", async () => {
    expect(await hashFile(new Blob(['a', 'bc']))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  test('matches WebCrypto on a file of several chunks', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => i % 253);
    const expected = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    const seen: number[] = [];
    expect(await hashFile(new Blob([bytes]), { onProgress: (n) => seen.push(n) })).toBe(expected);
    expect(seen.at(-1)).toBe(bytes.length);
  });
});
