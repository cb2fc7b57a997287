/** How many avatar colours the stylesheet defines (`.avatar--hue-0` …). */
export const AVATAR_HUES = 8;

/** A stable colour for an id, so a person keeps their colour on every device. */
export function avatarHue(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % AVATAR_HUES;
}

/** Splits text into what a reader counts as characters: "👍🏽", "🇫🇷" or an "é" typed as e + accent is one, not two. */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function firstCharacter(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
  return '';
}

/** "Ann Lee" → "AL", "bo" → "B", "" → "?". */
export function initials(name: string): string {
  // Words that start with punctuation are asides: "Ann (laptop)" is "A", not "A(".
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => w && !/^\p{P}/u.test(w));
  const named = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return named.map(firstCharacter).join('').toUpperCase() || '?';
}
