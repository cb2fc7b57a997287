import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cutToLength, fitsTextLength, textLength, ZOD_CHECKED_VERSION } from './textLength';

/**
 * The contract between textLength.ts and zod: `z.string().min/max/length`
 * count what textLength counts (Unicode code points). zod 4.5.0 changed the
 * unit from UTF-16 code units; a later release could change it again, and
 * every string bound in the protocol would silently change meaning with it.
 */
const UPGRADE_HINT =
  'zod string length semantics changed: ' +
  're-check shared/protocol/textLength.ts and every string .min/.max/.length before upgrading zod';

/** Texts whose UTF-16 length, code point count and grapheme count disagree. */
const SAMPLES: Array<[label: string, text: string]> = [
  ['empty', ''],
  ['ASCII', 'hello'],
  ['one emoji (a surrogate pair)', '😀'],
  ['five emoji', '😀'.repeat(5)],
  ['emoji between letters', 'a😀b'],
  ['astral CJK', '𠀋𠀋𠀋'],
  ['lone high surrogate', '\uD83D'],
  ['lone low surrogate', '\uDE00'],
  ['low before high (no pair)', '\uDE00\uD83D'],
  ['high surrogate at the end', 'ab\uD83D'],
  ['lone high, then a pair', '\uD83D\uD83D\uDE00'],
  ['combining acute (e + U+0301)', 'e\u0301'],
  ['two combining marks', 'e\u0301\u0302'],
  ['ZWJ family (one grapheme, five code points)', '👨\u200D👩\u200D👧'],
  ['flag (two regional indicators)', '🇫🇷'],
  ['mixed', 'é😀\uD800x\u0301🇫🇷'],
];

/** Pseudo-random strings over the awkward cases: pairs, lone halves, marks, ASCII. */
function fuzz(count: number): string[] {
  const pieces = ['a', 'é', '\u0301', '😀', '\uD83D', '\uDE00', '𠀋', '\u200D', ' '];
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  return Array.from({ length: count }, () =>
    Array.from({ length: next() % 24 }, () => pieces[next() % pieces.length]).join(''),
  );
}

/** Checks `ok`; if not, fails naming the sample and what zod did. */
function assertSameUnit(ok: boolean, what: string): void {
  if (!ok) throw new Error(`${UPGRADE_HINT}. ${what}`);
}

const show = (text: string) =>
  JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('textLength', () => {
  it('counts code points, like the string iterator, without counting graphemes', () => {
    for (const [label, text] of SAMPLES) expect(textLength(text), label).toBe(Array.from(text).length);
    for (const text of fuzz(500)) expect(textLength(text), show(text)).toBe(Array.from(text).length);
    expect(textLength('😀'.repeat(5))).toBe(5);
    expect(textLength('\uD83D\uD83D\uDE00')).toBe(2);
    expect(textLength('e\u0301')).toBe(2);
    expect(textLength('👨\u200D👩\u200D👧')).toBe(5);
  });

  it('fitsTextLength agrees with textLength, also where it skips the count', () => {
    for (const text of [...SAMPLES.map(([, t]) => t), ...fuzz(200)]) {
      const n = textLength(text);
      expect(fitsTextLength(text, n), show(text)).toBe(true);
      if (n > 0) expect(fitsTextLength(text, n - 1), show(text)).toBe(false);
    }
  });
});

describe('cutToLength', () => {
  it('keeps the first n code points, never half a surrogate pair', () => {
    expect(cutToLength('😀'.repeat(70), 64)).toBe('😀'.repeat(64));
    expect(cutToLength('abc', 64)).toBe('abc');
    expect(cutToLength('a😀b', 2)).toBe('a😀');
    for (const text of fuzz(300)) {
      const cut = cutToLength(text, 5);
      expect(text.startsWith(cut), show(text)).toBe(true);
      expect(textLength(cut), show(text)).toBe(Math.min(5, textLength(text)));
    }
  });
});

describe(`zod counts string length as textLength does (checked against zod ${ZOD_CHECKED_VERSION})`, () => {
  it('is the zod release textLength.ts was checked against', () => {
    const { major, minor, patch } = z.core.version;
    const installed = `${major}.${minor}.${patch}`;
    if (installed !== ZOD_CHECKED_VERSION) {
      throw new Error(
        `zod ${installed} is installed but shared/protocol/textLength.ts ` +
          `was checked against zod ${ZOD_CHECKED_VERSION}. ` +
          `Re-check shared/protocol/textLength.ts before upgrading: ` +
          `read zod's release notes for string length checks, ` +
          `make the other tests in this file pass, then set ZOD_CHECKED_VERSION.`,
      );
    }
  });

  it('z.string().max(n) accepts exactly the texts of at most n code points', () => {
    for (const [label, text] of [...SAMPLES, ...fuzz(300).map((t) => [show(t), t] as [string, string])]) {
      const n = textLength(text);
      assertSameUnit(
        z.string().max(n).safeParse(text).success,
        `z.string().max(${n}) rejects ${label} (${text.length} UTF-16 units, ${n} code points).`,
      );
      if (n > 0) {
        assertSameUnit(
          !z
            .string()
            .max(n - 1)
            .safeParse(text).success,
          `z.string().max(${n - 1}) accepts ${label} (${n} code points).`,
        );
      }
    }
  });

  it('z.string().min(n) and .length(n) count code points too', () => {
    for (const [label, text] of [...SAMPLES, ...fuzz(300).map((t) => [show(t), t] as [string, string])]) {
      const n = textLength(text);
      const units = `${text.length} UTF-16 units, ${n} code points`;
      assertSameUnit(z.string().min(n).safeParse(text).success, `z.string().min(${n}) rejects ${label} (${units}).`);
      assertSameUnit(
        !z
          .string()
          .min(n + 1)
          .safeParse(text).success,
        `z.string().min(${n + 1}) accepts ${label} (${units}).`,
      );
      assertSameUnit(
        z.string().length(n).safeParse(text).success,
        `z.string().length(${n}) rejects ${label} (${units}).`,
      );
      assertSameUnit(
        !z
          .string()
          .length(n + 1)
          .safeParse(text).success,
        `z.string().length(${n + 1}) accepts ${label} (${units}).`,
      );
      if (n > 0) {
        assertSameUnit(
          !z
            .string()
            .length(n - 1)
            .safeParse(text).success,
          `z.string().length(${n - 1}) accepts ${label} (${units}).`,
        );
      }
    }
  });

  it('counts the same after a transform and pipe, as NameSchema is built', () => {
    const name = z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().min(1).max(3));
    assertSameUnit(name.safeParse(' 😀😀😀 ').success, 'a piped .max(3) rejects three emoji.');
    assertSameUnit(!name.safeParse('😀😀😀😀').success, 'a piped .max(3) accepts four emoji.');
  });
});
