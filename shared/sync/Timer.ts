import type { Clock, TimerHandle } from './transport';

/** One pending run of `fire` at a time, on the injected Clock. */
export class Timer {
  private handle: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  get pending(): boolean {
    return this.handle !== undefined;
  }

  /** Runs `fire` after `delayMs`, in place of a run still pending. */
  start(delayMs: number): void {
    this.cancel();
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      this.fire();
    }, delayMs);
  }

  /** Like start, but a run already pending stays as it is. */
  startUnlessPending(delayMs: number): void {
    if (!this.pending) this.start(delayMs);
  }

  cancel(): void {
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
