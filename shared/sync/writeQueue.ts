/**
 * Storage writes, one after another in the order they were asked for, so a
 * later write (say, clearing everything) never lands before an earlier one.
 * A failed write is reported and the queue goes on.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly onError: (what: string, err: unknown) => void) {}

  /** Resolves true once the write is done, false if it failed. Never rejects. */
  enqueue(what: string, task: () => Promise<void>): Promise<boolean> {
    const run = this.tail.then(task).then(
      () => true,
      (err: unknown) => {
        this.onError(what, err);
        return false;
      },
    );
    this.tail = run;
    return run;
  }

  /** Resolves when every write queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
