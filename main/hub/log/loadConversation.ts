import { open, stat } from 'node:fs/promises';
import { LogCorruptError } from './errors';
import type { LogFs } from './logFs';
import { listSegmentSeqs, newSegment, type Segment } from './segment';
import { IndexMismatchError, rebuildSealedIndex, scanSegment, syncIndexFile, type ScanResult } from './segmentScan';
import { indexProblem, readIndexFile } from './sparseIndex';
import type { StoredMessage } from './storedMessage';

export type LoadConfig = {
  indexInterval: number;
  warn: (message: string) => void;
  fs: LogFs;
  /** How many of the newest messages to hand back for the read cache. */
  tailMessages: number;
};

export type LoadedConversation = {
  segments: Segment[];
  lastSeq: number;
  /** The newest messages seen while scanning (at most `tailMessages`), ascending. */
  tail: StoredMessage[];
};

/**
 * Loads one conversation without replaying its history: every segment's
 * index is read and checked against the file size, and only the last segment
 * is scanned, from its last index entry to the end, to find lastSeq and any
 * torn tail. A segment is scanned whole only when its index must be rebuilt.
 */
export async function loadConversation(conversationDir: string, config: LoadConfig): Promise<LoadedConversation> {
  const segments: Segment[] = [];
  const stale = new Map<Segment, string>();
  const files = await listSegmentSeqs(conversationDir);
  const missing = files.index.find((seq) => !files.data.includes(seq));
  // An index only ever names durable lines: without its segment, messages that were acknowledged are gone.
  if (missing !== undefined)
    throw new LogCorruptError(newSegment(conversationDir, missing).dataPath, 0, 'missing (its .idx is still there)');
  const first = files.data[0];
  if (first !== undefined && first > 1) {
    throw new LogCorruptError(
      newSegment(conversationDir, 1).dataPath,
      0,
      `missing: the conversation's first segment (the next one starts at seq ${first})`,
    );
  }
  for (const firstSeq of files.data) {
    const segment = newSegment(conversationDir, firstSeq);
    if (firstSeq < 1) throw new LogCorruptError(segment.dataPath, 0, 'segment named for seq 0; seqs start at 1');
    segment.size = (await stat(segment.dataPath)).size;
    const entries = await readIndexFile(segment.indexPath);
    const problem = entries
      ? indexProblem(entries, firstSeq, segment.size)
      : segment.size === 0
        ? null
        : 'index file missing or malformed';
    if (problem) {
      stale.set(segment, problem);
    } else {
      segment.entries = entries ?? [];
      segment.persisted = segment.entries.length;
    }
    segments.push(segment);
  }

  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const next = segments[i + 1]!;
    if (segment.size === 0) throw new LogCorruptError(segment.dataPath, 0, 'empty segment followed by another segment');
    const problem = stale.get(segment);
    if (problem) {
      config.warn(`message log: rebuilding index ${segment.indexPath}: ${problem}`);
      await rebuildSealedIndex(segment, config.indexInterval, config.warn);
    }
    const lastIndexed = segment.entries[segment.entries.length - 1]!;
    if (lastIndexed.seq >= next.firstSeq) {
      throw new LogCorruptError(
        next.dataPath,
        0,
        `starts at seq ${next.firstSeq} but ${segment.dataPath} already holds seq ${lastIndexed.seq}`,
      );
    }
  }

  const active = segments[segments.length - 1];
  if (!active) return { segments, lastSeq: 0, tail: [] };
  const { lastSeq, tail } = await loadActiveSegment(active, stale.get(active) ?? null, config);
  return { segments, lastSeq, tail };
}

async function loadActiveSegment(
  segment: Segment,
  staleIndex: string | null,
  config: LoadConfig,
): Promise<{ lastSeq: number; tail: StoredMessage[] }> {
  let tail: StoredMessage[] = [];
  const keep = (message: StoredMessage): void => {
    tail.push(message);
    if (tail.length > 2 * config.tailMessages) tail = tail.slice(-config.tailMessages);
  };
  const handle = await open(segment.dataPath, 'r+');
  try {
    const scanFrom = async (fromLastEntry: boolean): Promise<ScanResult> => {
      const start = (fromLastEntry && segment.entries[segment.entries.length - 1]) || {
        seq: segment.firstSeq,
        offset: 0,
      };
      return scanSegment({
        path: segment.dataPath,
        handle,
        start,
        end: segment.size,
        indexInterval: config.indexInterval,
        entries: segment.entries,
        onMessage: keep,
      });
    };
    let problem = staleIndex;
    let scan: ScanResult | null = null;
    if (!problem) {
      try {
        scan = await scanFrom(true);
      } catch (err) {
        if (!(err instanceof IndexMismatchError)) throw err;
        problem = err.message;
      }
    }
    if (problem || !scan) {
      config.warn(`message log: rebuilding index ${segment.indexPath}: ${problem}`);
      segment.entries = [];
      segment.persisted = 0;
      tail = [];
      scan = await scanFrom(false);
    }
    if (scan.torn) {
      const dropped = segment.size - scan.torn.offset;
      config.warn(
        `message log: dropping torn last line of ${segment.dataPath} at byte ${scan.torn.offset} ` +
          `(${dropped} bytes, ${scan.torn.reason}); it was never acknowledged`,
      );
      await config.fs.truncate(handle, scan.torn.offset);
    }
    segment.size = scan.end;
    await syncIndexFile(segment, config.warn);
    return { lastSeq: scan.lastSeq, tail: tail.slice(-config.tailMessages) };
  } finally {
    await handle.close();
  }
}
