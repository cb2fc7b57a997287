/**
 * Whether the hub can be reached for files now (the client is connected). Work that needs the hub waits here
 * instead of failing, and goes on by itself once the device is back.
 */
export class ReadyGate {
  private open = false;
  private readonly waiters = new Set<() => void>();

  get isOpen(): boolean {
    return this.open;
  }

  set(open: boolean): void {
    this.open = open;
    if (!open) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves when the gate is open (at once if it is); rejects with the signal's reason if aborted first. */
  wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal.reason as Error);
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
