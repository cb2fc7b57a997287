import { describe, expect, it } from 'vitest';
import { AVATAR_HUES, avatarHue, initials } from './avatarHue';

describe('avatars', () => {
  it('gives each id a stable colour in range', () => {
    expect(avatarHue('84ua0EkkZseWJsOMMx_3Aw')).toBe(avatarHue('84ua0EkkZseWJsOMMx_3Aw'));
    for (const id of ['a', 'b', 'general', 'x'.repeat(64)]) expect(avatarHue(id)).toBeLessThan(AVATAR_HUES);
  });

  it('skips words that do not start with a letter or digit', () => {
    expect(initials('Ann (laptop)')).toBe('A');
    expect(initials('Bob - home')).toBe('BH');
  });

  it('takes initials', () => {
    expect(initials('Ann Lee')).toBe('AL');
    expect(initials('  bo ')).toBe('B');
    expect(initials('Jean Paul Sartre')).toBe('JS');
    expect(initials('')).toBe('?');
    expect(initials('😀 Party')).toBe('😀P');
  });

  it('takes whole characters, not parts of them', () => {
    expect(initials('🇫🇷 Team')).toBe('🇫🇷T');
    expect(initials('👍🏽 Bo')).toBe('👍🏽B');
    expect(initials('e\u0301mile')).toBe('E\u0301');
  });
});
