import { stripImageMetadata } from '../../shared/files/imageMetadata';
import { declaredMediaType } from '../../shared/files/attachmentFields';

/** Types whose camera and location details Roost can take out without touching the picture. */
const STRIPPABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * Above this a picture is sent as it is rather than read whole into memory: no camera writes one, and a
 * screenshot or scan that large carries no location.
 */
const MAX_STRIP_BYTES = 256 * 1024 * 1024;

/** Whether `file` is a picture that may carry details (location, camera, time) the sender can keep or drop. */
export function mayHavePhotoDetails(file: File): boolean {
  return STRIPPABLE.has(declaredMediaType(file.type)) && file.size <= MAX_STRIP_BYTES;
}

/**
 * The file without its picture's metadata (EXIF with GPS, XMP, IPTC, comments; the orientation stays so it
 * shows upright), or the file itself when there was none or it is not such a picture.
 */
export async function withoutPhotoDetails(file: File): Promise<File> {
  if (!mayHavePhotoDetails(file)) return file;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = stripImageMetadata(bytes, declaredMediaType(file.type));
  if (!result.stripped) return file;
  return new File([result.bytes as Uint8Array<ArrayBuffer>], file.name, {
    type: file.type,
    lastModified: file.lastModified,
  });
}
