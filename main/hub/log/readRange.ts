import { open } from 'node:fs/promises';
import { LogCorruptError } from './errors';
import { scanLines, segmentIndexFor, type RawLine, type Segment } from './segment';
import { IndexMismatchError, rebuildSealedIndex } from './segmentScan';
import { entryAtOrBefore, type IndexEntry } from './sparseIndex';
import { decodeLine, type StoredMessage } from './storedMessage';

export type ReadConfig = {
  indexInterval: number;
  warn: (message: string) => void;
};

/**
 * Messages `from`..`to` (inclusive, all durable) from disk. Costs what it
 * returns: the segment is found by binary search on firstSeq, the start
 * offset through the sparse index (at most indexInterval - 1 lines are
 * skipped), and lines are read in chunks only until `to`.
 */
export async function readSegments(
  segments: readonly Segment[],
  from: number,
  to: number,
  config: ReadConfig,
): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  const wanted = to - from + 1;
  let i = segmentIndexFor(segments, from);
  while (out.length < wanted) {
    const next = from + out.length;
    const segment = segments[i];
    if (!segment || segment.firstSeq > next) {
      const file = segment?.dataPath ?? segments[segments.length - 1]?.dataPath ?? '(no segment)';
      throw new LogCorruptError(file, 0, `seq ${next} should be durable but no segment holds it`);
    }
    const sealed = i < segments.length - 1;
    await readFromSegment(segment, sealed, next, to, out, config);
    i += 1;
  }
  return out;
}

/** The line that holds message `seq` (durable), where it starts, and what it reads as. */
export type LocatedLine = { segment: Segment; offset: number; bytes: Buffer; message: StoredMessage };

/** Finds the line of message `seq` (durable) on disk, through the sparse index as a read does. */
export async function locateLine(segments: readonly Segment[], seq: number, config: ReadConfig): Promise<LocatedLine> {
  const i = segmentIndexFor(segments, seq);
  const segment = segments[i];
  if (!segment) throw new LogCorruptError(segments[0]?.dataPath ?? '(no segment)', 0, `no segment holds seq ${seq}`);
  const out: StoredMessage[] = [];
  const lines: RawLine[] = [];
  await readFromSegment(segment, i < segments.length - 1, seq, seq, out, config, lines);
  const [message] = out;
  const [line] = lines;
  if (!message || !line)
    throw new LogCorruptError(segment.dataPath, 0, `seq ${seq} should be durable but is not there`);
  return { segment, offset: line.offset, bytes: Buffer.from(line.bytes), message };
}

async function readFromSegment(
  segment: Segment,
  sealed: boolean,
  from: number,
  to: number,
  out: StoredMessage[],
  config: ReadConfig,
  /** If given, gets the raw line of each message put in `out`. */
  lines?: RawLine[],
): Promise<void> {
  try {
    await collect(segment, startEntry(segment, from), from, to, out, lines);
    return;
  } catch (err) {
    // The active segment's index is checked on open and then only grown from durable writes:
    // a miss there is real damage.
    if (!(err instanceof IndexMismatchError)) throw err;
    if (!sealed) throw new LogCorruptError(segment.dataPath, startEntry(segment, from).offset, err.message);
    config.warn(`message log: rebuilding index ${segment.indexPath}: ${err.message}`);
  }
  segment.rebuilding ??= rebuildSealedIndex(segment, config.indexInterval, config.warn).finally(() => {
    segment.rebuilding = null;
  });
  await segment.rebuilding;
  try {
    await collect(segment, startEntry(segment, from), from, to, out, lines);
  } catch (err) {
    if (err instanceof IndexMismatchError)
      throw new LogCorruptError(segment.dataPath, startEntry(segment, from).offset, err.message);
    throw err;
  }
}

function startEntry(segment: Segment, seq: number): IndexEntry {
  return entryAtOrBefore(segment.entries, seq) ?? { seq: segment.firstSeq, offset: 0 };
}

/** Appends to `out` the segment's messages from `from` up to `to` or the segment's end, whichever comes first. */
async function collect(
  segment: Segment,
  start: IndexEntry,
  from: number,
  to: number,
  out: StoredMessage[],
  rawLines?: RawLine[],
): Promise<void> {
  const handle = await open(segment.dataPath, 'r');
  try {
    let expected = start.seq;
    // Bounded by the durable size: bytes of an in-flight commit are never read.
    for await (const lines of scanLines(handle, start.offset, segment.size)) {
      for (const line of lines) {
        const message = line.complete ? decodeLine(line.bytes) : null;
        if (message?.seq !== expected) {
          if (line.offset === start.offset && start.offset > 0) throw new IndexMismatchError(segment.dataPath, start);
          const reason = message
            ? `expected seq ${expected}, found seq ${message.seq}`
            : line.complete
              ? 'unparsable line'
              : 'line has no trailing newline';
          throw new LogCorruptError(segment.dataPath, line.offset, reason);
        }
        if (message.seq >= from) {
          out.push(message);
          rawLines?.push(line);
        }
        if (message.seq >= to) return;
        expected += 1;
      }
    }
  } finally {
    await handle.close();
  }
}
