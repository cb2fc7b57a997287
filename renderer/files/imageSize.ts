import type { Attachment } from '../../shared/protocol';
import { isInlineImageType } from '../../shared/files/attachmentFields';

const MAX_SIDE = 65_535;

/**
 * The size of a picture the timeline shows inline, so receivers reserve its space before it loads. Decoded
 * as the browser shows it (EXIF orientation applied). Anything else, or a picture that does not decode: none.
 */
export async function imageSizeOf(file: Blob, type: string): Promise<NonNullable<Attachment['image']> | undefined> {
  if (!isInlineImageType(type)) return undefined;
  try {
    const bitmap = await createImageBitmap(file);
    const { width, height } = bitmap;
    bitmap.close();
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) return undefined;
    return { width, height };
  } catch {
    return undefined;
  }
}
