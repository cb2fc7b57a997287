import { appendFile, readFile, writeFile } from 'node:fs/promises';

/**
 * The sparse index of one segment: `<firstSeq>.idx`, one line "<seq> <byteOffset>\n"
 * per indexed message, ascending. The first line of a non-empty segment is
 * always indexed (offset 0); after that a message is indexed once it is at
 * least `indexInterval` seqs past the previous entry. The file only ever names
 * lines that were already durable, so it can lag the data but never lead it,
 * and it can always be rebuilt from the data.
 */

export type IndexEntry = { seq: number; offset: number };

const ENTRY_LINE = /^(\d{1,16}) (\d{1,16})$/;

/** Entries from the file's text, or null if any line is malformed (a torn append included). */
export function parseIndex(text: string): IndexEntry[] | null {
  if (text === '') return [];
  if (!text.endsWith('\n')) return null;
  const entries: IndexEntry[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const match = ENTRY_LINE.exec(line);
    if (!match) return null;
    entries.push({ seq: Number(match[1]), offset: Number(match[2]) });
  }
  return entries;
}

export function formatIndex(entries: readonly IndexEntry[]): string {
  return entries.map((e) => `${e.seq} ${e.offset}\n`).join('');
}

/**
 * Why the entries cannot describe a segment starting at `firstSeq` with
 * `dataSize` bytes, or null if they can. Only checks what is free to check;
 * whether the indexed lines really carry the indexed seqs is checked when a
 * scan starts from an entry.
 */
export function indexProblem(entries: readonly IndexEntry[], firstSeq: number, dataSize: number): string | null {
  const first = entries[0];
  if (!first) return dataSize === 0 ? null : 'no entries for a non-empty segment';
  if (first.seq !== firstSeq || first.offset !== 0)
    return `first entry is ${first.seq}@${first.offset}, expected ${firstSeq}@0`;
  for (let i = 1; i < entries.length; i++) {
    const prev = entries[i - 1]!;
    const cur = entries[i]!;
    if (cur.seq <= prev.seq || cur.offset <= prev.offset) return `entries out of order at line ${i + 1}`;
  }
  const last = entries[entries.length - 1]!;
  if (last.offset >= dataSize) return `entry ${last.seq}@${last.offset} is beyond the data (${dataSize} bytes)`;
  return null;
}

/** The last entry at or before `seq` (binary search), or undefined if `seq` precedes them all. */
export function entryAtOrBefore(entries: readonly IndexEntry[], seq: number): IndexEntry | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  let found: IndexEntry | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const entry = entries[mid]!;
    if (entry.seq <= seq) {
      found = entry;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function shouldIndex(entries: readonly IndexEntry[], seq: number, indexInterval: number): boolean {
  const last = entries[entries.length - 1];
  return !last || seq - last.seq >= indexInterval;
}

/** The file's entries, null if it is missing or malformed. */
export async function readIndexFile(path: string): Promise<IndexEntry[] | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return parseIndex(text);
}

/**
 * No fsync: a lost or torn index is detected on open and rebuilt from the
 * data, so paying a sync for it would buy nothing.
 */
export async function writeIndexFile(path: string, entries: readonly IndexEntry[]): Promise<void> {
  await writeFile(path, formatIndex(entries), { mode: 0o600 });
}

export async function appendIndexFile(path: string, entries: readonly IndexEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await appendFile(path, formatIndex(entries), { mode: 0o600 });
}
