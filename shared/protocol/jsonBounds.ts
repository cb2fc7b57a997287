import { LIMITS } from './limits';

export type JsonBounds = {
  /** Deepest nesting of `{` and `[` (a top-level object is depth 1). */
  maxDepth: number;
  /** Most `,` and `:` outside strings, which bounds the keys and values a parse would allocate. */
  maxElements: number;
};

export const CLIENT_FRAME_JSON_BOUNDS: JsonBounds = {
  maxDepth: LIMITS.maxJsonDepth,
  maxElements: LIMITS.maxJsonElements,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Which bound the JSON text breaks, if any, found without parsing it: one
 * pass over the characters, no allocation, stopping at the first breach. A
 * deeply nested or element-heavy frame costs JSON.parse and the schema many
 * times its size in objects (64 KiB of `[[[...]]]` took 5 ms); this costs a
 * few microseconds per KiB whatever the text holds. It does not validate:
 * text it passes may still be invalid JSON, which JSON.parse then refuses.
 */
export function exceededJsonBound(text: string, bounds: JsonBounds): 'depth' | 'elements' | undefined {
  let depth = 0;
  let elements = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > bounds.maxDepth) return 'depth';
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA || c === COLON) {
      if (++elements > bounds.maxElements) return 'elements';
    }
  }
  return undefined;
}

/**
 * Where the string opened at `open` ends (text.length if it does not): the
 * next quote preceded by an even number of backslashes. indexOf skips the
 * string's body far faster than a loop over its characters; each backslash is
 * looked at once, so the whole scan stays linear.
 */
function closingQuote(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** The error message for a breach, naming the bound. */
export function jsonBoundMessage(bound: 'depth' | 'elements', bounds: JsonBounds): string {
  return bound === 'depth'
    ? `frame nests objects and arrays deeper than ${bounds.maxDepth} levels`
    : `frame has more than ${bounds.maxElements} keys and values (commas and colons outside strings)`;
}
