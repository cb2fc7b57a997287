import { describe, expect, it } from 'vitest';
import type { AttachmentWire, MessageWire } from '../../shared/protocol';
import { attachmentsHeight, conversationImages, fileEmoji, fitImage, isInlineImage } from './attachmentLayout';

const SHA = 'a'.repeat(64);
const png = (width: number, height: number): AttachmentWire => ({
  sha256: SHA,
  name: 'p.png',
  size: 10,
  type: 'image/png',
  image: { width, height },
});
const pdf: AttachmentWire = { sha256: SHA, name: 'a.pdf', size: 10, type: 'application/pdf' };

describe('fitImage', () => {
  it('scales a large picture down into the box, keeping its shape', () => {
    expect(fitImage({ width: 4000, height: 3000 })).toEqual({ width: 320, height: 240 });
    expect(fitImage({ width: 1000, height: 4000 })).toEqual({ width: 80, height: 320 });
  });

  it('never scales a small one up, and never to nothing', () => {
    expect(fitImage({ width: 40, height: 30 })).toEqual({ width: 40, height: 30 });
    expect(fitImage({ width: 65_535, height: 1 })).toEqual({ width: 320, height: 1 });
  });
});

describe('isInlineImage', () => {
  it('needs an inline type and a size', () => {
    expect(isInlineImage(png(1, 1))).toBe(true);
    expect(isInlineImage({ ...png(1, 1), type: 'image/svg+xml' })).toBe(false);
    expect(isInlineImage({ ...png(1, 1), image: undefined })).toBe(false);
  });
});

describe('attachmentsHeight', () => {
  it('adds the fitted height of each picture and a card for each other file', () => {
    expect(attachmentsHeight(undefined)).toBe(0);
    expect(attachmentsHeight([png(640, 480), pdf])).toBe(240 + 6 + 64 + 6);
  });
});

describe('conversationImages', () => {
  it('lists the pictures of the loaded messages in order, skipping deleted messages and other files', () => {
    const base = { conversationId: 'c', clientMsgId: 'm', senderUserId: 'u', senderDeviceId: 'd', sentAt: 0 };
    const messages: MessageWire[] = [
      { ...base, seq: 1, text: '', attachments: [pdf, png(2, 2), png(3, 3)] },
      { ...base, seq: 2, text: 'gone', deleted: true },
      { ...base, seq: 3, text: 'hi' },
      { ...base, seq: 4, text: '', attachments: [png(4, 4)] },
    ];
    expect(conversationImages(messages).map((i) => [i.seq, i.index])).toEqual([
      [1, 1],
      [1, 2],
      [4, 0],
    ]);
  });
});

describe('fileEmoji', () => {
  it('marks programs whatever their type, then goes by type', () => {
    expect(fileEmoji('application/pdf', true)).toBe('⚙️');
    expect(fileEmoji('application/pdf', false)).toBe('📄');
    expect(fileEmoji('application/zip', false)).toBe('🗜️');
    expect(fileEmoji('application/octet-stream', false)).toBe('📎');
  });
});
