import type { ServerFrameOf } from '../protocol';
import { addTyping, expireTyping, nextTypingExpiry, type RoostState } from './clientState';

/**
 * Typing indicators: each typing frame shows its user for `timeoutMs`, and
 * ClientCore runs one timer that removes indicators as they run out. Also
 * throttles the client's own typing frames. Pure but for the throttle's
 * memory of what was sent.
 */
export class TypingTracker {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly timeoutMs: number,
    private readonly throttleMs: number,
  ) {}

  /** `state` with the frame's user shown typing; the own user's other devices are not shown. */
  shown(state: RoostState, frame: ServerFrameOf<'typing'>, now: number): RoostState {
    if (frame.userId === state.self?.userId) return state;
    const typing = { userId: frame.userId, deviceId: frame.deviceId, expiresAt: now + this.timeoutMs };
    return addTyping(state, frame.conversationId, typing, now);
  }

  /** `state` without the indicators that have run out. */
  expired(state: RoostState, now: number): RoostState {
    return expireTyping(state, now);
  }

  /** How long until the next indicator runs out; undefined if none is shown. */
  nextExpiryIn(state: RoostState, now: number): number | undefined {
    const next = nextTypingExpiry(state);
    return next === undefined ? undefined : Math.max(0, next - now);
  }

  /** Whether an own typing frame for this conversation is due, given the throttle; records it if so. */
  shouldSend(conversationId: string, now: number): boolean {
    const last = this.lastSent.get(conversationId);
    if (last !== undefined && now - last < this.throttleMs) return false;
    this.lastSent.set(conversationId, now);
    return true;
  }

  reset(): void {
    this.lastSent.clear();
  }
}
