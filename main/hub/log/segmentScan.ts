import { open, unlink, type FileHandle } from 'node:fs/promises';
import { LogCorruptError, errorMessage } from './errors';
import { scanLines, type Segment } from './segment';
import { appendIndexFile, shouldIndex, writeIndexFile, type IndexEntry } from './sparseIndex';
import { decodeLine, type StoredMessage } from './storedMessage';

/** The line at an index entry's offset does not carry the entry's seq: the index is stale, not the data. */
export class IndexMismatchError extends Error {
  constructor(path: string, entry: IndexEntry) {
    super(`${path}: no line with seq ${entry.seq} at byte ${entry.offset}`);
    this.name = 'IndexMismatchError';
  }
}

export type ScanOptions = {
  path: string;
  handle: FileHandle;
  /** Where to begin: the line with `start.seq` must begin at `start.offset`. */
  start: IndexEntry;
  /** Bytes of the file to look at. */
  end: number;
  indexInterval: number;
  /** Grown with an entry for every line that is due one. */
  entries: IndexEntry[];
  onMessage?: (message: StoredMessage) => void;
};

export type ScanResult = {
  /** Byte offset just past the last good line. */
  end: number;
  /** Seq of the last good line; start.seq - 1 if there was none. */
  lastSeq: number;
  /** A bad final line (no newline, or unparsable): what a crash mid-append leaves. */
  torn: { offset: number; reason: string } | null;
};

/**
 * Validates every line from `start` to `end`: each must parse and carry the
 * next seq. Only the final line may be bad (reported as torn, for the caller
 * to judge); a bad line with anything after it is corruption.
 */
export async function scanSegment(o: ScanOptions): Promise<ScanResult> {
  let expected = o.start.seq;
  let goodEnd = o.start.offset;
  let bad: { offset: number; reason: string } | null = null;
  for await (const lines of scanLines(o.handle, o.start.offset, o.end)) {
    for (const line of lines) {
      if (bad) throw new LogCorruptError(o.path, bad.offset, `${bad.reason}, followed by more data`);
      const fromIndex = line.offset === o.start.offset && o.start.offset > 0;
      const message = line.complete ? decodeLine(line.bytes) : null;
      if (message?.seq !== expected) {
        // An index entry only ever names a durable line, so a miss there means the index is stale.
        if (fromIndex) throw new IndexMismatchError(o.path, o.start);
        if (message)
          throw new LogCorruptError(o.path, line.offset, `expected seq ${expected}, found seq ${message.seq}`);
        bad = { offset: line.offset, reason: line.complete ? 'unparsable line' : 'last line has no trailing newline' };
        continue;
      }
      if (shouldIndex(o.entries, message.seq, o.indexInterval))
        o.entries.push({ seq: message.seq, offset: line.offset });
      o.onMessage?.(message);
      expected += 1;
      goodEnd = line.offset + line.bytes.length + 1;
    }
  }
  return { end: goodEnd, lastSeq: expected - 1, torn: bad };
}

/**
 * Rebuilds a sealed segment's index from its data, which is validated on
 * the way. A sealed segment never had a torn append: any bad line is corruption.
 */
export async function rebuildSealedIndex(
  segment: Segment,
  indexInterval: number,
  warn: (message: string) => void,
): Promise<void> {
  const handle = await open(segment.dataPath, 'r');
  const entries: IndexEntry[] = [];
  try {
    const scan = await scanSegment({
      path: segment.dataPath,
      handle,
      start: { seq: segment.firstSeq, offset: 0 },
      end: segment.size,
      indexInterval,
      entries,
    });
    if (scan.torn)
      throw new LogCorruptError(segment.dataPath, scan.torn.offset, `${scan.torn.reason} in a sealed segment`);
  } finally {
    await handle.close();
  }
  segment.entries = entries;
  segment.persisted = 0;
  await syncIndexFile(segment, warn);
}

/**
 * Brings the .idx file up to the in-memory entries: the whole file when
 * nothing is known to be in it, else only the new entries. Best effort: reads
 * use the in-memory index, and a file that failed to write is removed so that
 * the next open rebuilds it rather than trusting a torn one.
 */
export async function syncIndexFile(segment: Segment, warn: (message: string) => void): Promise<void> {
  if (segment.indexDisabled || segment.entries.length === segment.persisted) return;
  const target = segment.entries.length;
  try {
    if (segment.persisted === 0) await writeIndexFile(segment.indexPath, segment.entries.slice(0, target));
    else await appendIndexFile(segment.indexPath, segment.entries.slice(segment.persisted, target));
    segment.persisted = target;
  } catch (err) {
    segment.indexDisabled = true;
    warn(
      `message log: could not write index ${segment.indexPath} (${errorMessage(err)}); it will be rebuilt on next open`,
    );
    await unlink(segment.indexPath).catch(() => undefined);
  }
}
