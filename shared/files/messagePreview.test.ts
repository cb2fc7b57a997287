import { describe, expect, it } from 'vitest';
import { previewText } from './messagePreview';

describe('previewText', () => {
  it('is the text when there is some', () => {
    expect(previewText('Look!', [{ name: 'a.png' }])).toBe('Look!');
    expect(previewText('hi', undefined)).toBe('hi');
  });

  it('names the file, or counts the files, of a message without text', () => {
    expect(previewText('', [{ name: 'Beach.png' }])).toBe('📎 Beach.png');
    expect(previewText(' ', [{ name: 'a' }, { name: 'b' }, { name: 'c' }])).toBe('📎 3 files');
    expect(previewText('', undefined)).toBe('');
  });
});
