/**
 * Group commit: at most one commit runs at a time, and everything queued
 * while it runs goes into the next one, so a burst of N appends costs a
 * handful of durable writes instead of N.
 *
 * A commit may resolve with a `settle` function (telling its appenders their
 * items are durable). It is called only once the next commit has been
 * started: answering a batch (acks, fan-out) costs the event loop a few
 * hundred microseconds, and the next batch is already waiting, so its write
 * should not wait behind that work. Commits still never overlap, so data
 * reaches the file strictly in order.
 */
export class GroupCommit<T> {
  private queue: T[] = [];
  private running = false;

  /** `commit` must settle every item itself (or through the function it resolves with) and must not throw. */
  constructor(private readonly commit: (batch: T[]) => Promise<(() => void) | void>) {}

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
    let settle: (() => void) | void = undefined;
    try {
      while (this.queue.length > 0) {
        const next = this.commit(this.queue.splice(0));
        // Safe before `next` settles anything:
        // an async commit cannot reach its own completion or failure handling until a later microtask.
        settle?.();
        settle = await next;
      }
    } finally {
      this.running = false;
      settle?.();
    }
  }
}
