/**
 * How a deleted message's line is overwritten in place (README, "Deletions"): its `"x"` key becomes `"z"`,
 * and every byte of its text is replaced, so the text is gone from the file while the line keeps its length
 * (the sparse index and every later offset stay right). The text is overwritten token by token:
 *
 * - a plain byte (ASCII, or part of a UTF-8 sequence) becomes a space;
 * - an escape keeps its backslash: `\n`, `\"`, `\\` and the rest become `\f`, and `\uXXXX` becomes `\uffff`.
 *
 * So whatever part of the overwrite reaches the disk before a crash (any mix of old and new bytes), the
 * line is still valid JSON with the same structure: a torn overwrite never turns into a corrupt log.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const LETTER_F = 0x66;
const LETTER_U = 0x75;
const TEXT_KEY = Buffer.from(',"x":"');
const DELETED_KEY = Buffer.from(',"z":"');
/** Offset of the key's letter within `,"x":"`. */
const KEY_LETTER = 2;

export type DeletedLine = {
  /** The line as it reads once deleted: same length as the line given. */
  readonly bytes: Buffer;
  /** Byte offset of the key's letter (`x` → `z`) within the line. */
  readonly keyAt: number;
  /** Bytes [start, end) of the line that hold the text. */
  readonly text: { readonly start: number; readonly end: number };
};

/**
 * The deleted form of a message's line (without its newline), or null if the line is not a message in the
 * shape encodeLine writes (text last): a deletion record, or a line of another writer. A line already
 * deleted, fully or partly (a torn overwrite), gives the same result as the original would.
 */
export function deletedLine(line: Buffer): DeletedLine | null {
  const textKey = line.indexOf(TEXT_KEY);
  const key = textKey !== -1 ? textKey : line.indexOf(DELETED_KEY);
  // In an encoded line `,"` occurs only between keys: a quote inside a string is always escaped.
  if (key === -1 || line.length < 2 || line[line.length - 1] !== 0x7d || line[line.length - 2] !== QUOTE) return null;
  const start = key + TEXT_KEY.length;
  const end = line.length - 2;
  if (start > end) return null;
  const bytes = Buffer.from(line);
  bytes[key + KEY_LETTER] = DELETED_KEY[KEY_LETTER]!;
  for (let i = start; i < end; i++) {
    if (bytes[i] !== BACKSLASH) {
      // An unescaped quote would end the string early: the line is not what encodeLine wrote.
      if (bytes[i] === QUOTE) return null;
      bytes[i] = SPACE;
      continue;
    }
    const escaped = i + 1;
    if (escaped >= end) return null;
    if (bytes[escaped] !== LETTER_U) {
      bytes[escaped] = LETTER_F;
      i = escaped;
      continue;
    }
    if (escaped + 4 >= end) return null;
    bytes.fill(LETTER_F, escaped + 1, escaped + 5);
    i = escaped + 4;
  }
  return { bytes, keyAt: key + KEY_LETTER, text: { start, end } };
}
