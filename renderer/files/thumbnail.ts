import { MAX_THUMBNAIL_BYTES } from '../../shared/protocol';
import { isInlineImageType } from '../../shared/files/attachmentFields';

/** Longer side of the thumbnails Roost makes: sharp at the timeline's 320 CSS pixels on a 1.5x screen. */
export const THUMBNAIL_SIDE = 480;

export type Thumbnail = { blob: Blob; type: 'image/webp' | 'image/jpeg'; width: number; height: number };

/**
 * A small picture of an image for timelines (appendix F.4), or none: for what is not an image the timeline
 * shows, one that does not decode, or one already small enough to show itself. WebP where the browser can
 * encode it, JPEG otherwise; a lower quality if the first try is over the protocol's size limit.
 */
export async function thumbnailOf(file: Blob, type: string): Promise<Thumbnail | undefined> {
  if (!isInlineImageType(type)) return undefined;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  try {
    const scale = THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height);
    if (scale >= 1 && file.size <= MAX_THUMBNAIL_BYTES) return undefined;
    const width = Math.max(1, Math.round(bitmap.width * Math.min(1, scale)));
    const height = Math.max(1, Math.round(bitmap.height * Math.min(1, scale)));
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, width, height);
    for (const quality of [0.8, 0.6]) {
      const blob = await canvas.convertToBlob({ type: 'image/webp', quality });
      const encoded = blob.type === 'image/webp' ? blob : await canvas.convertToBlob({ type: 'image/jpeg', quality });
      if (encoded.size <= MAX_THUMBNAIL_BYTES)
        return { blob: encoded, type: encoded.type === 'image/webp' ? 'image/webp' : 'image/jpeg', width, height };
    }
    return undefined;
  } finally {
    bitmap.close();
  }
}
