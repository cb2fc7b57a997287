import { describe, expect, it } from 'vitest';
import { AttachmentSchema, MAX_FILE_NAME_LENGTH } from '../protocol';
import { declaredMediaType, isInlineImageType, sendableFileName, UNKNOWN_MEDIA_TYPE } from './attachmentFields';

describe('declaredMediaType', () => {
  it('lowercases and drops parameters', () => {
    expect(declaredMediaType('Image/PNG')).toBe('image/png');
    expect(declaredMediaType('text/plain; charset=utf-8')).toBe('text/plain');
  });

  it('says unknown for what the browser does not know or what is no type', () => {
    expect(declaredMediaType('')).toBe(UNKNOWN_MEDIA_TYPE);
    expect(declaredMediaType('not a type')).toBe(UNKNOWN_MEDIA_TYPE);
  });
});

describe('isInlineImageType', () => {
  it('is true for the pictures the hub serves inline only', () => {
    expect(isInlineImageType('image/png')).toBe(true);
    expect(isInlineImageType('image/avif')).toBe(true);
    expect(isInlineImageType('image/svg+xml')).toBe(false);
    expect(isInlineImageType('application/pdf')).toBe(false);
  });
});

describe('sendableFileName', () => {
  const valid = (name: string) => AttachmentSchema.shape.name.safeParse(name).success;

  it('keeps an ordinary name', () => {
    expect(sendableFileName('Report 2025.pdf')).toBe('Report 2025.pdf');
  });

  it('turns any local name into one the hub accepts', () => {
    for (const name of [
      'a\\b.txt',
      'tab\there.txt',
      'x\u202Efdp.exe',
      '',
      '   ',
      '\u0001',
      'é'.repeat(400),
      '😀'.repeat(200),
    ]) {
      expect(valid(sendableFileName(name)), JSON.stringify(name)).toBe(true);
    }
  });

  it('keeps the extension when it cuts a long name', () => {
    const name = sendableFileName(`${'a'.repeat(400)}.jpeg`);
    expect(name).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('a.jpeg')).toBe(true);
  });
});
