import { describe, expect, test } from 'vitest';
import { MAX_THUMBNAIL_BYTES } from '../../shared/protocol';
import { THUMBNAIL_SIDE, thumbnailOf } from './thumbnail';

/** A noisy picture (so it does not compress to nothing) of the given size, as PNG. */
async function picture(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(width, height);
  for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 2654435761) >>> 24;
  context.putImageData(pixels, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

describe('thumbnails', () => {
  test('a large picture gets a small one at its aspect ratio, within the protocol limits', async () => {
    const made = await thumbnailOf(await picture(1600, 1200), 'image/png');
    expect(made).toMatchObject({ width: THUMBNAIL_SIDE, height: 360, type: 'image/webp' });
    expect(made!.blob.size).toBeLessThanOrEqual(MAX_THUMBNAIL_BYTES);
    const decoded = await createImageBitmap(made!.blob);
    expect([decoded.width, decoded.height]).toEqual([480, 360]);
    const tall = await thumbnailOf(await picture(300, 2000), 'image/png');
    expect(tall).toMatchObject({ width: 72, height: THUMBNAIL_SIDE });
  });

  test('none for a picture already small, for other files, and for bytes that do not decode', async () => {
    expect(await thumbnailOf(await picture(200, 100), 'image/png')).toBeUndefined();
    expect(await thumbnailOf(new Blob(['%PDF-1.7']), 'application/pdf')).toBeUndefined();
    expect(await thumbnailOf(new Blob(['not a picture']), 'image/png')).toBeUndefined();
  });
});
