/**
 * Which characters a name may hold (display, device, room and hub names;
 * docs/PROTOCOL.md 2.2). Refused: characters that show nothing or change how
 * the text around them is shown, so that "Ann" and "An\u200Bn", or a name
 * whose end is reversed by U+202E, cannot pass for each other:
 *
 * - control characters (Cc), line and paragraph separators (Zl, Zp) and lone
 *   surrogates;
 * - format characters (Cf): bidi controls U+202A-U+202E, U+2066-U+2069,
 *   U+200E, U+200F, U+061C; zero-width U+200B-U+200D, U+2060, U+FEFF; the
 *   soft hyphen and the rest;
 * - the other default-ignorable code points: Hangul fillers (U+115F, U+1160,
 *   U+3164, U+FFA0, often used for "blank" names), U+034F, variation selectors
 *   and tag characters.
 *
 * Some of them are part of writing, and are allowed exactly there:
 * - ZWJ (U+200D) between two emoji (👩‍💻, 🏳️‍🌈), after an optional skin tone or U+FE0F;
 * - ZWNJ and ZWJ (U+200C, U+200D) between two characters of a script whose
 *   spelling uses them: Arabic (Persian, Urdu), Syriac, N'Ko, Mongolian and the
 *   Indic scripts from Devanagari to Sinhala;
 * - variation selectors U+FE0E/U+FE0F after an emoji (❤️, 1️⃣), and the
 *   Mongolian ones after a Mongolian character (they choose a visibly
 *   different letter form);
 * - tag characters in the three subdivision flags (England, Scotland, Wales).
 *
 * Refused although writing uses them: ideographic variation selectors (U+E0100
 * and up after a CJK ideograph), since they choose a glyph that looks almost
 * the same, which is the look-alike this is about; such a name is typed
 * without them and shown in the default glyph. Not caught: an emoji ZWJ
 * sequence no font draws shows as its emoji side by side, the same as without
 * the ZWJ; and letters of different scripts that look alike (Cyrillic а).
 *
 * Whitespace at either end is trimmed before a name is stored (whitespace.ts),
 * so a tab or newline is refused only inside a name.
 *
 * The refused set is written out as ranges (Unicode 16: Cc, Cf, Zl, Zp and
 * Default_Ignorable_Code_Point), so it does not move with an engine's Unicode
 * version; the allowed contexts use Unicode properties, which every
 * ECMA-262 engine with the `u` flag reads.
 */
import { isWhitespace, WHITESPACE_RANGES } from './whitespace';

/** [first, last] code points a name may not hold outside the contexts below. */
export const INVISIBLE_RANGES: readonly (readonly [first: number, last: number])[] = [
  [0x0000, 0x001f], // C0 controls (tab, line feed...)
  [0x007f, 0x009f], // delete, C1 controls (NEL...)
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x0600, 0x0605], // Arabic number signs
  [0x061c, 0x061c], // Arabic letter mark (bidi)
  [0x06dd, 0x06dd], // Arabic end of ayah
  [0x070f, 0x070f], // Syriac abbreviation mark
  [0x0890, 0x0891], // Arabic pound and piastre marks above
  [0x08e2, 0x08e2], // Arabic disputed end of ayah
  [0x115f, 0x1160], // Hangul choseong and jungseong fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian free variation selectors, vowel separator
  [0x200b, 0x200f], // zero width space, ZWNJ, ZWJ, left-to-right and right-to-left marks
  [0x2028, 0x202e], // line and paragraph separators, bidi embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, bidi isolates, deprecated format characters
  [0x3164, 0x3164], // Hangul filler
  [0xd800, 0xdfff], // lone surrogates (a pair is one code point and never matches)
  [0xfe00, 0xfe0f], // variation selectors 1-16
  [0xfeff, 0xfeff], // zero width no-break space (byte order mark)
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfffb], // unassigned default-ignorables, interlinear annotation controls
  [0x110bd, 0x110bd], // Kaithi number sign
  [0x110cd, 0x110cd], // Kaithi number sign above
  [0x13430, 0x1343f], // Egyptian hieroglyph format controls
  [0x1bca0, 0x1bca3], // shorthand format controls
  [0x1d173, 0x1d17a], // musical symbol beam and tie controls
  [0xe0000, 0xe0fff], // tags, variation selectors 17-256, unassigned default-ignorables
];

const hex = (cp: number) => (cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`);
const INVISIBLE_CLASS = INVISIBLE_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');

const WHITESPACE_CLASS = WHITESPACE_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');
/** Whitespace that may stand inside a name (spaces); the rest (tab, line breaks, U+FEFF) only at its trimmed ends. */
const INNER_SPACE = `(?![${INVISIBLE_CLASS}])[${WHITESPACE_CLASS}]`;

const EMOJI = '\\p{Extended_Pictographic}';
/** Scripts whose spelling uses ZWNJ and ZWJ: Arabic, Syriac, N'Ko, Mongolian, and the Indic ones. */
const JOINING_SCRIPTS = ['Arab', 'Syrc', 'Nkoo', 'Mong', 'Deva', 'Beng', 'Guru', 'Gujr', 'Orya', 'Taml', 'Telu']
  .concat(['Knda', 'Mlym', 'Sinh'])
  .map((script) => `\\p{scx=${script}}`);
const JOINING_SCRIPT = `[${JOINING_SCRIPTS.join('')}]`;

/** Not itself refused: the base a context is allowed after (U+180E and U+061C belong to Mongolian and Arabic). */
const VISIBLE = `(?![${INVISIBLE_CLASS}])`;

/** `gb` as tag characters (U+E0067 U+E0062), escaped for a pattern. */
const tags = (letters: string) => Array.from(letters, (c) => hex(0xe0000 + c.charCodeAt(0))).join('');

/** A visible unit that is not whitespace: a character, or a character with the invisible one its writing needs. */
const CONTEXTS = [
  // Only the three flags emoji fonts draw: any other tag run shows as a plain 🏴 with text hidden behind it.
  `\\u{1f3f4}${tags('gb')}(?:${['eng', 'sct', 'wls'].map(tags).join('|')})\\u{e007f}`,
  `${VISIBLE}${EMOJI}[\\p{Emoji_Modifier}\\ufe0f]?\\u200d(?=${VISIBLE}${EMOJI})`,
  `${VISIBLE}${JOINING_SCRIPT}[\\u200c\\u200d](?=${VISIBLE}${JOINING_SCRIPT})`,
  `${VISIBLE}\\p{Emoji}[\\ufe0e\\ufe0f]`,
  `${VISIBLE}\\p{scx=Mong}[\\u180b-\\u180d\\u180f]`,
];
const WORD = [...CONTEXTS, `[^${INVISIBLE_CLASS}${WHITESPACE_CLASS}]`].join('|');
/** Any unit inside a trimmed name: one of the above, or a space. */
const UNIT = [...CONTEXTS, `[^${INVISIBLE_CLASS}]`].join('|');

/**
 * Matches a name whose characters are all visible once trimmed (see above); says nothing about its length.
 * Written so that each character can be matched one way only (whitespace at the ends, then units that are not
 * whitespace, each after the spaces before it), and the leading whitespace is taken whole (`(?=(X*))\1`, an
 * atomic group): a refused frame costs time linear in its length, never the quadratic backtracking that
 * ambiguous runs of whitespace cost (seconds for a 64 KiB frame).
 */
export const VISIBLE_NAME_PATTERN = new RegExp(
  `^(?=([${WHITESPACE_CLASS}]*))\\1(?:(?:${WORD})(?:${INNER_SPACE}*(?:${WORD}))*)?[${WHITESPACE_CLASS}]*$`,
  'u',
);

const UNIT_AT = new RegExp(`(?:${UNIT})`, 'uy');

/**
 * The first refused character in the trimmed name, as a code point, or undefined when there is none. Linear in
 * the length (it runs on whatever a frame holds): trims by scanning, not with trimWhitespace's pattern.
 */
export function invisibleCharacterIn(name: string): number | undefined {
  let start = 0;
  let end = name.length;
  // Every whitespace character is in the BMP, so one code unit is one character here.
  while (start < end && isWhitespace(name.charCodeAt(start))) start++;
  while (end > start && isWhitespace(name.charCodeAt(end - 1))) end--;
  const text = name.slice(start, end);
  let at = 0;
  while (at < text.length) {
    UNIT_AT.lastIndex = at;
    if (!UNIT_AT.test(text)) return text.codePointAt(at);
    at = UNIT_AT.lastIndex;
  }
  return undefined;
}

/** "U+202E" */
export function formatCodePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The refusal's wording, shared by the hub's BAD_FRAME message and the clients' own check. */
export function invisibleCharacterMessage(cp: number): string {
  return `must not contain invisible, control or text-direction characters (found ${formatCodePoint(cp)})`;
}

/**
 * The name without the characters invisibleCharacterIn would refuse (every one of them, not only the first), for
 * names stored before they were refused that must still be shown or sent somewhere stricter.
 */
export function stripInvisible(name: string): string {
  let out = '';
  let at = 0;
  while (at < name.length) {
    UNIT_AT.lastIndex = at;
    if (UNIT_AT.test(name)) {
      out += name.slice(at, UNIT_AT.lastIndex);
      at = UNIT_AT.lastIndex;
    } else {
      at += (name.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
    }
  }
  return out;
}
