import type { Adapter } from 'lowdb';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import { nodeDurableFs, writeFileDurably, type DurableWriteOptions } from './durableWrite';

type QueuedWrite = { text: string; written: Promise<void> };

/**
 * A lowdb adapter for a JSON file whose writes resolve only once they would
 * survive a power cut (see writeFileDurably), unlike lowdb's JSONFile, whose
 * writer renames without fsync. The file is created with mode 0600.
 *
 * Writes never overlap. A write asked for while another is in flight waits
 * for it and is merged with any others asked for meanwhile: only the newest
 * data is written, and every one of those callers is answered by that write.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private readonly writes = new SerialQueue();
  private queued: QueuedWrite | undefined;

  constructor(
    private readonly file: string,
    private readonly options: DurableWriteOptions = {},
  ) {}

  /** null when there is no file; a file that is not JSON rejects (with the SyntaxError). */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await (this.options.fs ?? nodeDurableFs).readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  write(data: T): Promise<void> {
    // Serialised now, not when the write starts: callers (Registry's undo) rely on what was asked being written.
    const text = JSON.stringify(data, null, 2);
    if (this.queued) {
      this.queued.text = text;
      return this.queued.written;
    }
    const queued: QueuedWrite = { text, written: Promise.resolve() };
    // A failed write is its callers' to see; the next one still runs.
    queued.written = this.writes.run(() => {
      // From here on, new data must wait for the next write: this one's bytes are being fixed.
      this.queued = undefined;
      return writeFileDurably(this.file, queued.text, this.options);
    });
    this.queued = queued;
    return queued.written;
  }
}
