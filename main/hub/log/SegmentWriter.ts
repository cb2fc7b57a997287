import { mkdir, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import { LogCorruptError } from './errors';
import type { LogFs } from './logFs';
import { newSegment, type Segment } from './segment';
import { syncIndexFile } from './segmentScan';
import { shouldIndex } from './sparseIndex';

export type WriterConfig = {
  segmentBytes: number;
  indexInterval: number;
  warn: (message: string) => void;
  fs: LogFs;
};

export type LineToWrite = { readonly seq: number; readonly line: Buffer };

/**
 * Writes one conversation's lines to its last segment and rolls to a new
 * segment when that one has reached segmentBytes. Keeps the active segment's
 * file open. Everything it records in a Segment (size, index entries) is
 * durable; bytes of a failed write are cut off before the next write.
 */
export class SegmentWriter {
  private handle: FileHandle | null = null;
  private handleFor: Segment | null = null;
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
      const handle = this.handleFor === segment && this.handle ? this.handle : await this.handleOf(segment);
      this.dirty = true;
      await this.config.fs.writeDurable(
        handle,
        Buffer.concat(
          part.map((l) => l.line),
          bytes,
        ),
        segment.size,
      );
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
    await this.config.fs.truncate(await this.handleOf(segment), segment.size);
    this.dirty = false;
  }

  async close(): Promise<void> {
    await this.indexWrites.idle();
    await this.closeHandle();
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
    // No O_TRUNC: an empty file of this name may be left by a roll that failed before;
    // anything more is not ours to wipe.
    const handle = await this.config.fs.openSegment(segment.dataPath, true);
    try {
      if ((await handle.stat()).size !== 0)
        throw new LogCorruptError(segment.dataPath, 0, 'a new segment file already holds data');
      await this.config.fs.syncDir(this.conversationDir);
    } catch (err) {
      await handle.close();
      throw err;
    }
    await this.closeHandle();
    this.handle = handle;
    this.handleFor = segment;
    this.segments.push(segment);
    return segment;
  }

  private async handleOf(segment: Segment): Promise<FileHandle> {
    if (this.handle && this.handleFor === segment) return this.handle;
    await this.closeHandle();
    this.handle = await this.config.fs.openSegment(segment.dataPath, false);
    this.handleFor = segment;
    return this.handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    this.handleFor = null;
    await handle?.close().catch(() => undefined);
  }
}
