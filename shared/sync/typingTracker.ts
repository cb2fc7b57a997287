import { addTyping, expireTyping, nextTypingExpiry, type RoostState } from './clientState';
import type { Clock, TimerHandle } from './transport';

/**
 * Typing indicators: each typing frame shows its user for `timeoutMs`, and
 * one timer removes indicators as they run out. Also throttles the client's
 * own typing frames.
 */
export class TypingTracker {
  private timer: TimerHandle | undefined;
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly getState: () => RoostState,
    private readonly setState: (next: RoostState) => void,
  ) {}

  add(conversationId: string, userId: string, deviceId: string): void {
    const now = this.clock.now();
    this.setState(
      addTyping(this.getState(), conversationId, { userId, deviceId, expiresAt: now + this.timeoutMs }, now),
    );
    this.schedule();
  }

  /** Whether an own typing frame for this conversation is due, given the throttle; records it if so. */
  shouldSend(conversationId: string, throttleMs: number): boolean {
    const now = this.clock.now();
    const last = this.lastSent.get(conversationId);
    if (last !== undefined && now - last < throttleMs) return false;
    this.lastSent.set(conversationId, now);
    return true;
  }

  reset(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.lastSent.clear();
  }

  private schedule(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const next = nextTypingExpiry(this.getState());
    if (next === undefined) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.setState(expireTyping(this.getState(), this.clock.now()));
        this.schedule();
      },
      Math.max(0, next - this.clock.now()),
    );
  }
}
