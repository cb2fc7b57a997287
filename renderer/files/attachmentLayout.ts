import type { AttachmentWire, MessageWire } from '../../shared/protocol';
import { isInlineImageType } from '../../shared/files/attachmentFields';

/** The largest box a picture takes in the timeline, in CSS pixels (CSS narrows it further on a phone). */
export const IMAGE_BOX = { width: 320, height: 320 } as const;
/** A file card's height, for the list's estimate before it is measured (files.css). */
const CARD_HEIGHT_PX = 64;
const GAP_PX = 6;

export type ImageSize = NonNullable<AttachmentWire['image']>;

/** A picture the timeline draws inline: an inline type with a known size (else it is shown as a file card). */
export function isInlineImage(a: AttachmentWire): a is AttachmentWire & { image: ImageSize } {
  return a.image !== undefined && isInlineImageType(a.type);
}

/** The picture's size scaled down, never up, to fit `box`, keeping its aspect ratio; at least 1×1. */
export function fitImage(image: ImageSize, box: { width: number; height: number } = IMAGE_BOX): ImageSize {
  const scale = Math.min(1, box.width / image.width, box.height / image.height);
  return {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  };
}

/** Height the attachments add to a message row, before it is measured: the virtual list's estimate. */
export function attachmentsHeight(attachments: readonly AttachmentWire[] | undefined): number {
  if (!attachments) return 0;
  let height = 0;
  for (const a of attachments) height += (isInlineImage(a) ? fitImage(a.image).height : CARD_HEIGHT_PX) + GAP_PX;
  return height;
}

/** One picture of a conversation, where it is: message seq and attachment index. */
export type ConversationImage = { seq: number; index: number; attachment: AttachmentWire & { image: ImageSize } };

/** Every inline picture of the loaded messages, oldest first: what the viewer's arrow keys move through. */
export function conversationImages(messages: readonly MessageWire[]): ConversationImage[] {
  const images: ConversationImage[] = [];
  for (const message of messages) {
    if (message.deleted || !message.attachments) continue;
    message.attachments.forEach((attachment, index) => {
      if (isInlineImage(attachment)) images.push({ seq: message.seq, index, attachment });
    });
  }
  return images;
}

/** An emoji for a file card, by type: a hint, the name and type are written out beside it. */
export function fileEmoji(type: string, executable: boolean): string {
  if (executable) return '⚙️';
  const [kind, sub = ''] = type.split('/');
  if (kind === 'image') return '🖼️';
  if (kind === 'video') return '🎞️';
  if (kind === 'audio') return '🎵';
  if (sub === 'pdf' || kind === 'text' || /word|document|rtf|opendocument\.text/.test(sub)) return '📄';
  if (/sheet|excel|csv/.test(sub)) return '📊';
  if (/presentation|powerpoint/.test(sub)) return '📽️';
  if (/zip|tar|gzip|7z|rar|compressed|bzip|xz/.test(sub)) return '🗜️';
  return '📎';
}
