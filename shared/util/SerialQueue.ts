/**
 * Runs tasks one at a time, in the order they were given: each starts once
 * the one before has settled. A task's failure is its caller's to see (the
 * promise `run` returns rejects), and the next task still runs.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | PromiseLike<T>): Promise<T> {
    const result = this.tail.then(() => task());
    this.tail = result.catch(() => {});
    return result;
  }

  /** Resolves once every task given so far has settled; never rejects. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
