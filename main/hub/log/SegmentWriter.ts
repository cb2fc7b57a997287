import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import { LogCorruptError, SPACE_RESERVED } from './errors';
import type { LogFs } from './logFs';
import { newSegment, type Segment } from './segment';
import type { SegmentHandles } from './SegmentHandles';
import { syncIndexFile } from './segmentScan';
import { shouldIndex } from './sparseIndex';

export type WriterConfig = {
  segmentBytes: number;
  indexInterval: number;
  warn: (message: string) => void;
  fs: LogFs;
  /** Shared by every conversation's writer: bounds the descriptors the log holds open. */
  handles: SegmentHandles;
  /** False while the disk's last space is kept for the hub's own records: message writes are refused then. */
  admitWrites: () => boolean;
};

export type LineToWrite = { readonly seq: number; readonly line: Buffer };

/**
 * Writes one conversation's lines to its last segment and rolls to a new
 * segment when that one has reached segmentBytes. The active segment's file
 * stays open while the shared SegmentHandles has room for it. Everything it
 * records in a Segment (size, index entries) is durable; bytes of a failed
 * write are cut off before the next write.
 */
export class SegmentWriter {
  private readonly indexWrites = new SerialQueue();
  /** A write started and did not complete: the file may hold bytes past the durable size. */
  private dirty = false;

  constructor(
    private readonly conversationDir: string,
    private readonly segments: Segment[],
    private readonly config: WriterConfig,
  ) {}

  /**
   * Writes `lines` (ascending, contiguous seqs) with one durable write
   * (LogFs.writeDurable) per segment touched. Calls `onDurable(n)` whenever the first n
   * lines are durable. Throws on the first failure; lines past the last
   * `onDurable` count are then not stored.
   */
  async write(lines: readonly LineToWrite[], onDurable: (count: number) => void): Promise<void> {
    // Checked for every batch, not only at append: appends queued before the registry took the
    // reserve must not write into the space it freed. (Thrown inside this async function, so the
    // caller sees it a microtask later, as GroupCommit requires of a failure.)
    if (!this.config.admitWrites()) throw new Error(SPACE_RESERVED);
    // Awaited only when there is something to do:
    // in the common case the write reaches the disk in the caller's own tick (see GroupCommit).
    if (this.dirty) await this.truncateToDurable();
    let i = 0;
    while (i < lines.length) {
      let segment = this.segments[this.segments.length - 1];
      if (!segment || (segment.size > 0 && segment.size >= this.config.segmentBytes))
        segment = await this.roll(lines[i]!.seq);
      // Fill the segment up to segmentBytes; the line that crosses it is its last.
      let bytes = 0;
      let end = i;
      do {
        bytes += lines[end]!.line.length;
        end += 1;
      } while (end < lines.length && segment.size + bytes < this.config.segmentBytes);
      const part = lines.slice(i, end);
      const { handles } = this.config;
      const handle = handles.useOpen(segment.dataPath) ?? (await handles.use(segment.dataPath));
      this.dirty = true;
      try {
        await this.config.fs.writeDurable(
          handle,
          Buffer.concat(
            part.map((l) => l.line),
            bytes,
          ),
          segment.size,
        );
      } finally {
        handles.release(segment.dataPath);
      }
      this.dirty = false;
      this.recordDurable(segment, part);
      i = end;
      onDurable(i);
    }
  }

  /** Cuts off whatever a failed write left past the durable size. Throws if that fails too. */
  async truncateToDurable(): Promise<void> {
    const segment = this.segments[this.segments.length - 1];
    if (!this.dirty || !segment) return;
    const handle = await this.config.handles.use(segment.dataPath);
    try {
      await this.config.fs.truncate(handle, segment.size);
    } finally {
      this.config.handles.release(segment.dataPath);
    }
    this.dirty = false;
  }

  async close(): Promise<void> {
    await this.indexWrites.idle();
    const active = this.segments[this.segments.length - 1];
    if (active) await this.config.handles.close(active.dataPath);
  }

  private recordDurable(segment: Segment, part: readonly LineToWrite[]): void {
    let offset = segment.size;
    const entriesBefore = segment.entries.length;
    for (const { seq, line } of part) {
      if (shouldIndex(segment.entries, seq, this.config.indexInterval)) segment.entries.push({ seq, offset });
      offset += line.length;
    }
    segment.size = offset;
    if (segment.entries.length === entriesBefore) return;
    // Serialised so index lines land in order; never awaited by appenders, the index is only an accelerator.
    this.indexWrites.run(() => syncIndexFile(segment, this.config.warn)).catch(() => {});
  }

  private async roll(firstSeq: number): Promise<Segment> {
    if (this.segments.length === 0) {
      await mkdir(this.conversationDir, { recursive: true, mode: 0o700 });
      await this.config.fs.syncDir(dirname(this.conversationDir));
    }
    const segment = newSegment(this.conversationDir, firstSeq);
    const { handles } = this.config;
    // No O_TRUNC: an empty file of this name may be left by a roll that failed before;
    // anything more is not ours to wipe.
    const handle = await handles.use(segment.dataPath, true);
    try {
      if ((await handle.stat()).size !== 0)
        throw new LogCorruptError(segment.dataPath, 0, 'a new segment file already holds data');
      await this.config.fs.syncDir(this.conversationDir);
    } catch (err) {
      handles.release(segment.dataPath);
      await handles.close(segment.dataPath);
      throw err;
    }
    handles.release(segment.dataPath);
    const sealed = this.segments[this.segments.length - 1];
    this.segments.push(segment);
    // Never written again: its descriptor is better spent on another conversation.
    if (sealed) await handles.close(sealed.dataPath);
    return segment;
  }
}
