import { describe, expect, it } from 'vitest';
import { NameSchema } from './primitives';
import { textLength } from './textLength';
import { isBlank, isWhitespace, trimmedLengthPattern, trimWhitespace, WHITESPACE_RANGES } from './whitespace';

const ALL_WHITESPACE = WHITESPACE_RANGES.flatMap(([a, b]) =>
  Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i)),
).join('');

describe('whitespace', () => {
  it("is the set ECMAScript's trim removes, written out (checked over every BMP code point)", () => {
    const engine: number[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) if (String.fromCharCode(cp).trim() === '') engine.push(cp);
    const ours = WHITESPACE_RANGES.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
    expect(ours).toEqual(engine);
    expect(ours.every(isWhitespace)).toBe(true);
    expect(ours).toHaveLength(25);
  });

  it('does not count zero-width characters, NEL or the Mongolian vowel separator', () => {
    for (const cp of [0x85, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060]) {
      expect(isWhitespace(cp)).toBe(false);
      expect(isBlank(String.fromCodePoint(cp))).toBe(false);
    }
  });

  it('isBlank: empty or whitespace only', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank(ALL_WHITESPACE)).toBe(true);
    expect(isBlank(`${ALL_WHITESPACE}.`)).toBe(false);
    expect(isBlank('\ud800')).toBe(false);
  });

  it('trimWhitespace removes it at both ends only', () => {
    expect(trimWhitespace(`${ALL_WHITESPACE}a${ALL_WHITESPACE}b${ALL_WHITESPACE}`)).toBe(`a${ALL_WHITESPACE}b`);
    expect(trimWhitespace(ALL_WHITESPACE)).toBe('');
  });

  it('trimmedLengthPattern matches exactly the texts whose trimmed length is 1 to max code points', () => {
    const pieces = ['a', ' ', '\u3000', '😀', '\ud83d', '\u200b', '\n', 'é'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: next() % 12 }, () => pieces[next() % pieces.length]).join('');
      const length = textLength(trimWhitespace(text));
      expect(trimmedLengthPattern(5).test(text), JSON.stringify(text)).toBe(length >= 1 && length <= 5);
    }
  });

  it('NameSchema trims with it and says why it refuses', () => {
    expect(NameSchema.parse('\u3000 Ann\u00a0\n')).toBe('Ann');
    expect(NameSchema.safeParse(' \t ').error?.issues[0]?.message).toBe('must not be blank');
    expect(NameSchema.safeParse('x'.repeat(65)).error?.issues[0]?.message).toBe(
      'must be at most 64 characters after trimming',
    );
  });
});
