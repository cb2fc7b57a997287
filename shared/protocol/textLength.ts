/**
 * The one way Roost counts the length of text: in Unicode code points. A
 * surrogate pair (an emoji, say) is one; a lone surrogate is one; a
 * combining mark is one of its own; a grapheme made of several code points
 * (a ZWJ family, a flag) is several.
 *
 * It is the unit zod 4.5.0 and later counts in `z.string().min()`, `.max()`
 * and `.length()` (zod 4.4.3 and earlier counted UTF-16 code units, as
 * `string.length` does). Schemas rely on zod counting what this counts;
 * textLength.test.ts fails if a zod upgrade changes that.
 */

/** The zod release textLength.test.ts last checked; zod is pinned exactly for this reason. */
export const ZOD_CHECKED_VERSION = '4.6.7';

/** Unicode code points in `text`; unlike `[...text].length`, allocates nothing. */
export function textLength(text: string): number {
  const units = text.length;
  let count = units;
  for (let i = 0; i < units - 1; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * Whether `text` is at most `max` code points long. A code point is one or two
 * UTF-16 units, so text within `max` units needs no counting: the usual case.
 */
export function fitsTextLength(text: string, max: number): boolean {
  return text.length <= max || textLength(text) <= max;
}

/** The first `max` code points of `text`: never ends in half a surrogate pair. */
export function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let units = 0;
  for (let points = 0; points < max && units < text.length; points++) {
    units += isHighSurrogate(text.charCodeAt(units)) && isLowSurrogate(text.charCodeAt(units + 1)) ? 2 : 1;
  }
  return text.slice(0, units);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
