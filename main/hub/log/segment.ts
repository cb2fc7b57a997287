import type { FileHandle } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexEntry } from './sparseIndex';

/**
 * A conversation's messages live in `<dir>/<conversationId>/`, split into
 * segments `<firstSeq padded to 12>.jsonl`, each with a sparse index
 * `<firstSeq padded to 12>.idx`. Only the last segment receives appends.
 */
export type Segment = {
  readonly firstSeq: number;
  readonly dataPath: string;
  readonly indexPath: string;
  /** Durable bytes. Reads never look past this, so they never see a line whose commit has not completed. */
  size: number;
  /** The sparse index, in memory; the .idx file may lag it. */
  entries: IndexEntry[];
  /** How many of `entries` the .idx file holds; 0 means the file is written whole next time. */
  persisted: number;
  /** Set once an .idx write failed: the file was dropped and the next open rebuilds it. */
  indexDisabled: boolean;
  /** A rebuild in progress, shared by concurrent readers. */
  rebuilding: Promise<void> | null;
};

const SEQ_DIGITS = 12;
const SEGMENT_FILE = /^(\d{12})\.(jsonl|idx)$/;

export const READ_CHUNK_BYTES = 64 * 1024;

export function segmentFileBase(firstSeq: number): string {
  return String(firstSeq).padStart(SEQ_DIGITS, '0');
}

export function newSegment(conversationDir: string, firstSeq: number, size = 0): Segment {
  const base = join(conversationDir, segmentFileBase(firstSeq));
  return {
    firstSeq,
    dataPath: `${base}.jsonl`,
    indexPath: `${base}.idx`,
    size,
    entries: [],
    persisted: 0,
    indexDisabled: false,
    rebuilding: null,
  };
}

/**
 * The firstSeqs of the conversation's segment files and of its index files, each ascending.
 * Other files are ignored.
 */
export async function listSegmentSeqs(conversationDir: string): Promise<{ data: number[]; index: number[] }> {
  const data: number[] = [];
  const index: number[] = [];
  for (const name of await readdir(conversationDir)) {
    const match = SEGMENT_FILE.exec(name);
    if (match) (match[2] === 'jsonl' ? data : index).push(Number(match[1]));
  }
  const ascending = (a: number, b: number) => a - b;
  return { data: data.sort(ascending), index: index.sort(ascending) };
}

/** Index of the segment that holds `seq`: the last one whose firstSeq is <= seq (binary search), -1 if none. */
export function segmentIndexFor(segments: readonly Segment[], seq: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.firstSeq <= seq) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export type RawLine = {
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** The line without its newline. */
  bytes: Buffer;
  /** False for trailing bytes with no newline after them (a torn append, if anything). */
  complete: boolean;
};

/**
 * The lines between byte offsets `from` and `end`, read in chunks so that a
 * read costs what it returns rather than the file's size. Yields the lines
 * of each chunk together (one await per chunk, not per line). Stop
 * iterating to stop reading.
 */
export async function* scanLines(
  handle: FileHandle,
  from: number,
  end: number,
  chunkBytes = READ_CHUNK_BYTES,
): AsyncGenerator<RawLine[]> {
  let carry = Buffer.alloc(0);
  let carryOffset = from;
  let position = from;
  while (position < end) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, end - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const lines: RawLine[] = [];
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      lines.push({ offset: carryOffset + start, bytes: data.subarray(start, nl), complete: true });
      start = nl + 1;
    }
    carry = data.subarray(start);
    carryOffset += start;
    if (lines.length > 0) yield lines;
  }
  if (carry.length > 0) yield [{ offset: carryOffset, bytes: carry, complete: false }];
}
