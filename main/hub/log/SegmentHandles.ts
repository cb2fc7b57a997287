import type { FileHandle } from 'node:fs/promises';

type Entry = {
  handle: FileHandle | null;
  /** Set while the file is being opened: a second user waits for the same open. */
  opening: Promise<FileHandle> | null;
  /** Writes and truncations in flight: a handle in use is never closed under them. */
  users: number;
};

/**
 * The segment files the log has open for appending, at most `max` at a time across every
 * conversation: one device creating a thousand conversations must not make the hub hold a
 * thousand descriptors (each conversation's active segment used to stay open until stop). When a
 * file must be opened and `max` are open, the least recently used idle one is closed first; if
 * every open one is in use, the open waits until one is released. A handle is in use only for
 * the duration of one write or truncation, so the wait is short and cannot deadlock.
 */
export class SegmentHandles {
  /** In order of last use, oldest first (a used entry is moved to the end). */
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: Array<() => void> = [];
  /** Handles taken out of `entries` whose close has not completed: their descriptors still count. */
  private closing = 0;

  constructor(
    private readonly max: number,
    private readonly openFile: (path: string, create: boolean) => Promise<FileHandle>,
  ) {}

  /** How many files are open, being opened or being closed; never more than `max`. */
  get openCount(): number {
    return this.entries.size + this.closing;
  }

  /**
   * The open handle of `path`, marked in use until release(path), or null if it is not open.
   * Synchronous, so that a commit to an open segment still reaches the disk in its caller's tick.
   */
  useOpen(path: string): FileHandle | null {
    const entry = this.entries.get(path);
    if (!entry?.handle) return null;
    this.touch(path, entry);
    entry.users += 1;
    return entry.handle;
  }

  /** The handle of `path`, opened (created if `create`) if need be, marked in use until release(path). */
  async use(path: string, create = false): Promise<FileHandle> {
    for (;;) {
      const open = this.useOpen(path);
      if (open) return open;
      const entry = this.entries.get(path) ?? (this.openCount < this.max ? this.startOpen(path, create) : null);
      if (entry) return this.awaitOpen(path, entry);
      // Full: close the least recently used idle file, or wait for one to become idle; then look again.
      const idle = [...this.entries].find(([, e]) => e.users === 0 && e.handle);
      if (idle) await this.closeEntry(idle[0], idle[1]);
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  release(path: string): void {
    const entry = this.entries.get(path);
    if (!entry || entry.users === 0) return;
    entry.users -= 1;
    if (entry.users === 0) this.wake();
  }

  /** Closes `path` (a segment that will not be written again) once nothing uses it. */
  async close(path: string): Promise<void> {
    const entry = this.entries.get(path);
    if (!entry || entry.users > 0) return;
    await this.closeEntry(path, entry);
  }

  /** Closes every handle; the caller has let every write settle first. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.entries].map(([path, entry]) => this.closeEntry(path, entry)));
  }

  /** Takes a slot synchronously (checked and taken in one step, so the limit holds) and opens the file in it. */
  private startOpen(path: string, create: boolean): Entry {
    const entry: Entry = { handle: null, opening: null, users: 0 };
    entry.opening = this.openFile(path, create).then(
      (handle) => {
        entry.handle = handle;
        entry.opening = null;
        return handle;
      },
      (err: unknown) => {
        if (this.entries.get(path) === entry) this.entries.delete(path);
        this.wake();
        throw err;
      },
    );
    // Its rejection reaches every user through awaitOpen.
    entry.opening.catch(() => undefined);
    this.entries.set(path, entry);
    return entry;
  }

  private async awaitOpen(path: string, entry: Entry): Promise<FileHandle> {
    entry.users += 1;
    try {
      const handle = entry.handle ?? (await entry.opening!);
      if (this.entries.get(path) === entry) this.touch(path, entry);
      return handle;
    } catch (err) {
      entry.users -= 1;
      throw err;
    }
  }

  private async closeEntry(path: string, entry: Entry): Promise<void> {
    if (this.entries.get(path) !== entry) return;
    this.entries.delete(path);
    this.closing += 1;
    try {
      const handle = entry.handle ?? (await entry.opening?.catch(() => null));
      await handle?.close().catch(() => undefined);
    } finally {
      this.closing -= 1;
      this.wake();
    }
  }

  private touch(path: string, entry: Entry): void {
    this.entries.delete(path);
    this.entries.set(path, entry);
  }

  /** Every waiter looks again: one that finds its file opened by another needs no slot, nor keeps it from the next. */
  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
