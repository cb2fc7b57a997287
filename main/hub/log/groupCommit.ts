/**
 * Group commit: at most one commit runs at a time, and everything queued
 * while it runs goes into the next one, so a burst of N appends costs a
 * handful of write + fdatasync rounds instead of N.
 */
export class GroupCommit<T> {
  private queue: T[] = [];
  private running = false;

  /** `commit` must settle every item itself and must not throw. */
  constructor(private readonly commit: (batch: T[]) => Promise<void>) {}

  push(item: T): void {
    this.queue.push(item);
    if (this.running) return;
    this.running = true;
    // Starting on a microtask lets every append made in the same tick share the first commit as well.
    queueMicrotask(() => void this.drain());
  }

  /** Removes and returns what is queued but not yet handed to a commit. */
  takeQueued(): T[] {
    return this.queue.splice(0);
  }

  get queued(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0));
    } finally {
      this.running = false;
    }
  }
}
