/**
 * The one definition of whitespace in the protocol (docs/PROTOCOL.md 1, "Whitespace"):
 * names are trimmed of it, and a message text may not consist of it alone.
 *
 * It is the set ECMAScript's `String.prototype.trim` removes (WhiteSpace and
 * LineTerminator), written out so that it does not move with an engine's
 * Unicode version and so that the JSON Schema carries the same set.
 * Not whitespace: U+0085, U+180E, U+200B-U+200D, U+2060 (zero-width
 * characters and NEL), so a text of only those is not blank.
 */
export const WHITESPACE_RANGES: readonly (readonly [first: number, last: number])[] = [
  [0x0009, 0x000d], // tab, line feed, vertical tab, form feed, carriage return
  [0x0020, 0x0020], // space
  [0x00a0, 0x00a0], // no-break space
  [0x1680, 0x1680], // ogham space mark
  [0x2000, 0x200a], // en quad ... hair space
  [0x2028, 0x2029], // line and paragraph separator
  [0x202f, 0x202f], // narrow no-break space
  [0x205f, 0x205f], // medium mathematical space
  [0x3000, 0x3000], // ideographic space
  [0xfeff, 0xfeff], // zero width no-break space (byte order mark)
];

const hex = (cp: number) => `\\u${cp.toString(16).padStart(4, '0')}`;

/** The ranges as the body of a regular expression character class, in escapes any ECMA-262 engine reads. */
const CLASS = WHITESPACE_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');

/** Matches a text holding at least one code point that is not whitespace. */
export const NOT_BLANK_PATTERN = new RegExp(`[^${CLASS}]`, 'u');

const EDGES = new RegExp(`^[${CLASS}]+|[${CLASS}]+$`, 'gu');

export function isWhitespace(codePoint: number): boolean {
  return WHITESPACE_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/** True for the empty text and for a text of whitespace only. */
export function isBlank(text: string): boolean {
  return !NOT_BLANK_PATTERN.test(text);
}

/** The text without leading and trailing whitespace. */
export function trimWhitespace(text: string): string {
  return text.replace(EDGES, '');
}

/**
 * Matches a text that, trimmed, is 1 to `max` code points long: optional
 * whitespace, then a non-whitespace code point, up to `max - 2` of any, and a
 * last non-whitespace one, then optional whitespace. A pattern rather than
 * code so the JSON Schema states the very same rule (read with the `u` flag,
 * so a pair of surrogates is one code point).
 */
export function trimmedLengthPattern(max: number): RegExp {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`max must be an integer >= 2, got ${max}`);
  return new RegExp(`^[${CLASS}]*[^${CLASS}](?:[\\s\\S]{0,${max - 2}}[^${CLASS}])?[${CLASS}]*$`, 'u');
}
