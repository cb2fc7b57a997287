/** Reconnect delays: exponential growth, capped, with full jitter. */
export type BackoffOptions = {
  /** Ceiling of the first retry's delay. Default 500 ms. */
  baseMs: number;
  /** Largest ceiling. Default 30 s. */
  maxMs: number;
  /** Growth of the ceiling per failed attempt. Default 2. */
  factor: number;
};

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, factor: 2 };

/**
 * Delay before retry number `attempt` (0 for the first retry): a uniformly
 * random value in [0, min(maxMs, baseMs * factor^attempt)). Full jitter keeps
 * a roomful of devices from reconnecting in lockstep after the hub restarts
 * (the AWS Architecture Blog's "Exponential Backoff And Jitter").
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * options.factor ** Math.max(0, attempt));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
