import { newDigitCode } from '../secrets';

export type PairingWindowOptions = {
  now: () => number;
  windowMs: number;
  maxWindowMs: number;
  maxWrongGuesses: number;
};

type Open = { code: string; closesAt: number };

/** How long a replaced code is remembered, so that no code of the last hour comes back as a new one. */
const RETIRED_MEMORY_MS = 60 * 60 * 1000;
/** setTimeout's longest delay; a longer window is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * When codes are accepted: a window the owner opens for a few minutes, which closes by itself. The
 * 6-digit code lives in the window and changes only when a new window opens or the code is used;
 * wrong guesses never change it (that would let anyone lock a person out). The window counts wrong
 * guesses from everyone; at the ceiling it stops accepting codes until the owner opens a new one.
 *
 * Closed on an unref'd timer of its own, so a host that shows the state only listens; the time is also
 * checked whenever the window is read, so a late timer (a busy loop, a clock moved on) never lets a
 * code in after closing time.
 */
export class PairingWindow {
  private current: Open | undefined;
  private wrong = 0;
  /** One more for each new window: a guess's refund goes only to the window that counted it. */
  private opened = 0;
  private readonly retired = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly options: PairingWindowOptions,
    /** Told of every change: opened, extended, closed, code replaced, ceiling reached. */
    private readonly changed: () => void,
  ) {}

  /** The open window, or undefined (closing it first if its time is up). */
  get openNow(): Readonly<Open> | undefined {
    return this.live();
  }

  /** Wrong guesses in the open window, or in the last one while closed. */
  get wrongGuesses(): number {
    return this.wrong;
  }

  /** Which window is open (or was last): changes whenever a new one opens. */
  get generation(): number {
    return this.opened;
  }

  get exhausted(): boolean {
    return this.wrong >= this.options.maxWrongGuesses;
  }

  /**
   * Opens pairing for `durationMs` (cut to the longest window). An open window that still accepts codes
   * is only extended, keeping its code and its count; one whose ceiling was reached is replaced.
   */
  open(durationMs = this.options.windowMs): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0)
      throw new RangeError(`a pairing window must last a positive time, not ${durationMs} ms`);
    const closesAt = this.options.now() + Math.min(durationMs, this.options.maxWindowMs);
    const open = this.live();
    if (open && !this.exhausted) {
      open.closesAt = Math.max(open.closesAt, closesAt);
    } else {
      if (open) this.retire(open.code);
      this.current = { code: this.newCode(), closesAt };
      this.wrong = 0;
      this.opened += 1;
    }
    this.scheduleClose();
    this.changed();
  }

  close(): void {
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    this.retire(open.code);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed();
  }

  /** After a successful use: the next device needs a new code. */
  replaceCode(): void {
    const open = this.live();
    if (!open) return;
    this.retire(open.code);
    open.code = this.newCode();
    this.changed();
  }

  countWrongGuess(): void {
    this.wrong += 1;
    this.changed();
  }

  /** A guess counted before it could be judged turned out right (PairingGate.pendingGuess). */
  refundWrongGuess(): void {
    this.wrong = Math.max(0, this.wrong - 1);
    this.changed();
  }

  /** Stops the timer (a stopped hub); the window still closes when read after its time. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private live(): Open | undefined {
    if (this.current && this.current.closesAt <= this.options.now()) this.close();
    return this.current;
  }

  private retire(code: string): void {
    const now = this.options.now();
    for (const [old, at] of this.retired) if (now - at >= RETIRED_MEMORY_MS) this.retired.delete(old);
    this.retired.set(code, now);
  }

  /** Unlike every code of the last hour: a code someone saw and typed late is never the current one by chance. */
  private newCode(): string {
    let code = newDigitCode(6);
    while (this.retired.has(code) || code === this.current?.code) code = newDigitCode(6);
    return code;
  }

  /** Unref'd: an open window is no reason to keep a process alive. */
  private scheduleClose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || !this.current) return;
    const delay = Math.min(Math.max(0, this.current.closesAt - this.options.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.onTimer(), delay).unref();
  }

  private onTimer(): void {
    this.timer = undefined;
    // Early only if the clock went back, or the window is longer than one timer: wait for the rest.
    if (this.live()) this.scheduleClose();
  }
}
