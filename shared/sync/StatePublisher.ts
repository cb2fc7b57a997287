import type { RoostState } from './clientState';
import { WarningCode, type RoostWarning } from './errors';

/**
 * Hands state snapshots to subscribers (useSyncExternalStore). It decides
 * nothing: ClientCore changes the state and publishes once per event it
 * handles, so a subscriber never sees a half-applied frame.
 */
export class StatePublisher {
  private readonly listeners = new Set<() => void>();

  constructor(
    private published: RoostState,
    private readonly onWarning: ((warning: RoostWarning) => void) | undefined,
  ) {}

  /** The last published state; stable between publishes. */
  get snapshot(): RoostState {
    return this.published;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes `state` the snapshot and tells every subscriber, unless it is the snapshot already. */
  publish(state: RoostState): void {
    if (state === this.published) return;
    this.published = state;
    // A copy: a listener that subscribes or unsubscribes another changes who hears the next change, not this one.
    // oxlint-disable-next-line unicorn/no-useless-spread -- the copy is the point (see above)
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.onWarning?.({
          code: WarningCode.HANDLER_FAILED,
          message: `a state listener threw: ${String(err)}`,
          detail: err,
        });
      }
    }
  }
}
