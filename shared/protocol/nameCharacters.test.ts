import { describe, expect, it } from 'vitest';
import { INVISIBLE_RANGES, invisibleCharacterIn, stripInvisible, VISIBLE_NAME_PATTERN } from './nameCharacters';
import { NameSchema } from './primitives';

const u = (cp: number) => String.fromCodePoint(cp);

/** Both ways the rule is stated (the pattern in the JSON Schema, the function clients use) must agree. */
function refused(name: string): number | undefined {
  const found = invisibleCharacterIn(name);
  expect(VISIBLE_NAME_PATTERN.test(name)).toBe(found === undefined);
  return found;
}

describe('names refuse invisible and text-direction characters', () => {
  const bidi = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c];
  const zeroWidth = [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff];
  const otherFormat = [0x00ad, 0x180e, 0x2061, 0x2062, 0x2063, 0x2064, 0x206a, 0x206f, 0xfff9, 0xe0001, 0xe0041];
  const blank = [0x3164, 0x115f, 0x1160, 0xffa0, 0x034f, 0xfe0f, 0xfe00, 0xe0100];
  const control = [0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b, 0x2028, 0x2029, 0xd800, 0xdfff];

  it.each([...bidi, ...zeroWidth, ...otherFormat, ...blank, ...control].map((cp) => [cp.toString(16), cp]))(
    'U+%s inside a Latin name',
    (_, cp) => {
      expect(refused(`An${u(cp)}n`)).toBe(cp);
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      expect(NameSchema.safeParse(`An${u(cp)}n`).error?.issues[0]?.message).toBe(
        `must not contain invisible, control or text-direction characters (found U+${hex})`,
      );
    },
  );

  it('refuses a name that reverses its own end, and one that is only a filler', () => {
    expect(refused('Ann\u202Egnp.exe')).toBe(0x202e);
    expect(refused('\u3164')).toBe(0x3164);
    expect(refused('\u200B')).toBe(0x200b);
  });

  it('covers every Cc, Cf, Zl, Zp and default-ignorable code point this engine knows', () => {
    const listed = (cp: number) => INVISIBLE_RANGES.some(([a, b]) => cp >= a && cp <= b);
    const missing: string[] = [];
    const property = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (property.test(u(cp)) && !listed(cp)) missing.push(cp.toString(16));
    }
    expect(missing).toEqual([]);
  });
});

describe('where writing needs an invisible character, names keep it', () => {
  it.each([
    ['a ZWJ emoji sequence', 'Ann 👩‍💻'],
    ['a family', '👨‍👩‍👧'],
    ['a rainbow flag (U+FE0F before the ZWJ)', '🏳️‍🌈'],
    ['a skin tone before the ZWJ', '👩🏽‍💻'],
    ['a pirate flag', '🏴‍☠️'],
    ['a heart with its emoji selector', 'Ann ❤️'],
    ['a keycap', 'Room 1️⃣'],
    ['the flag of England (tag characters)', '🏴󠁧󠁢󠁥󠁮󠁧󠁿 fans'],
    ['the flags of Scotland and Wales', '🏴󠁧󠁢󠁳󠁣󠁴󠁿🏴󠁧󠁢󠁷󠁬󠁳󠁿'],
    ['a Persian name with ZWNJ', 'علی‌رضا'],
    ['Devanagari with ZWJ after a virama', 'क्‍ष'],
    ['Malayalam with ZWNJ', 'കാല്‌വരി'],
    ['Mongolian with a free variation selector', 'ᠠ᠋ᠨ'],
    ['spaces of all kinds inside', 'Ann\u00a0Lee\u3000Jr'],
  ])('%s', (_, name) => {
    expect(refused(name)).toBeUndefined();
    expect(NameSchema.safeParse(name).success).toBe(true);
  });

  it('trims whitespace controls at the ends, and refuses them inside', () => {
    expect(refused('\t Ann \n\uFEFF')).toBeUndefined();
    expect(refused(' \u2028\u3000Ann Lee\u00a0\t ')).toBeUndefined();
    expect(refused(' \t ')).toBeUndefined();
    expect(NameSchema.parse('\t Ann \n\uFEFF')).toBe('Ann');
    expect(refused('Ann\tLee')).toBe(0x09);
    expect(refused('Ann\nLee')).toBe(0x0a);
  });

  it.each([
    ['ZWJ between Latin letters', 'An\u200Dn', 0x200d],
    ['ZWNJ between Latin letters', 'An\u200Cn', 0x200c],
    ['ZWJ after an emoji with nothing after it', 'Ann 👩\u200D', 0x200d],
    ['ZWJ between an emoji and a letter', '👩\u200Dn', 0x200d],
    ['ZWNJ between Arabic and Latin', 'ع\u200Cn', 0x200c],
    ['ZWNJ after the Arabic letter mark', 'ع\u061C\u200Cع', 0x061c],
    ['an emoji selector after a Latin letter', 'An\uFE0Fn', 0xfe0f],
    ['an ideographic selector after a Latin letter', `An${u(0xe0100)}n`, 0xe0100],
    ['a Mongolian selector after a Latin letter', 'An\u180Bn', 0x180b],
    ['a Mongolian selector after the vowel separator', 'ᠠ\u180E\u180Bᠨ', 0x180e],
    ['tag characters without a black flag', `Ann${u(0xe0067)}${u(0xe007f)}`, 0xe0067],
    ['a tag flag without its cancel tag', `🏴${u(0xe0067)}${u(0xe0062)}`, 0xe0067],
    ['two ZWJs in a row', '👩\u200D\u200D💻', 0x200d],
    ['an ideographic variation selector (a glyph that looks almost the same)', '葛\u{E0100}城', 0xe0100],
    ['text hidden in tags behind a black flag', `Ann 🏴${'\u{E0061}\u{E0064}'.repeat(3)}\u{E007F}`, 0xe0061],
    ['a subdivision flag that is not drawn', '🏴\u{E0067}\u{E0062}\u{E0078}\u{E0078}\u{E007F}', 0xe0067],
  ])('refuses %s', (_, name, cp) => {
    expect(refused(name)).toBe(cp);
    expect(NameSchema.safeParse(name).success).toBe(false);
  });
});

describe('the check is linear in the length of what a frame holds', () => {
  // With whitespace runs that the pattern could split more than one way, each of these cost 2.5 to 19 s
  // (quadratic backtracking); now under 15 ms. All in a row finish far inside the limit: no frame stalls the hub.
  it('twenty-one 60 KiB worst cases finish within the test limit', { timeout: 10_000 }, () => {
    const worst = [
      `${'\t'.repeat(30_000)}a${'\t'.repeat(30_000)}\u200B`,
      `${'\uFEFF'.repeat(30_000)}a${'\uFEFF'.repeat(30_000)}\u200B`,
      `${' '.repeat(30_000)}a${' '.repeat(30_000)}\u200B`,
      `${'\t'.repeat(60_000)}\u200B`,
      `${'\t '.repeat(30_000)}\u200B`,
      `a${' '.repeat(30_000)}${'\t'.repeat(30_000)}\u200B`,
      `${'👩\u200D'.repeat(15_000)}\u200B`,
    ];
    for (let i = 0; i < 3; i++) {
      for (const name of worst) {
        expect(VISIBLE_NAME_PATTERN.test(name)).toBe(false);
        expect(invisibleCharacterIn(name)).toBeDefined();
        expect(NameSchema.safeParse(name).success).toBe(false);
      }
    }
  });
});

describe('stripInvisible', () => {
  it.each([
    ['Kit\u202Echen\u200B', 'Kitchen'],
    ['👩\u200D\u200B💻', '👩💻'],
    ['Ann 👩‍💻', 'Ann 👩‍💻'],
    ['An\uFE0Fn\u3164', 'Ann'],
    [`Ann${String.fromCodePoint(0xe0067)}`, 'Ann'],
  ])('%j becomes %j, which the check accepts', (name, stripped) => {
    expect(stripInvisible(name)).toBe(stripped);
    expect(invisibleCharacterIn(stripInvisible(name))).toBeUndefined();
  });
});
