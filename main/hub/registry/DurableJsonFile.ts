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
  private textBytes = 0;

  constructor(
    private readonly file: string,
    private readonly options: DurableWriteOptions = {},
  ) {}

  /** null when there is no file (and when it holds `null`: see load); a file that is not JSON rejects (SyntaxError). */
  async read(): Promise<T | null> {
    const loaded = await this.load();
    return loaded.exists ? (loaded.value as T | null) : null;
  }

  /**
   * Whether the file exists and, if so, the JSON it holds, unchecked: a file holding `null` is not
   * a missing file, and a caller that would create new data for a missing one must tell them apart.
   * A file that is not JSON rejects (with the SyntaxError).
   */
  async load(): Promise<{ exists: false } | { exists: true; value: unknown }> {
    let text: string;
    try {
      text = await (this.options.fs ?? nodeDurableFs).readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
      throw err;
    }
    this.textBytes = Buffer.byteLength(text);
    return { exists: true, value: JSON.parse(text) as unknown };
  }

  /** Bytes of the newest text read or asked to be written: what a rewrite needs free on the disk. */
  get bytes(): number {
    return this.textBytes;
  }

  write(data: T): Promise<void> {
    // Serialised now, not when the write starts: callers (Registry's undo) rely on what was asked being written.
    const text = JSON.stringify(data, null, 2);
    this.textBytes = Buffer.byteLength(text);
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
