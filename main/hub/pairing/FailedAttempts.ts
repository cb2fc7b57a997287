import type { PairingFailure } from '../../../shared/hub/pairingState';
import { hostKey } from '../addressKey';

/**
 * The recent failed pairing attempts the owner sees, gathered by address, kind and outcome so that a
 * flood from one address takes one line and cannot push everyone else's out. Bounded; O(1) per attempt.
 */
export class FailedAttempts {
  /** Least recent first: each attempt moves its line to the end. */
  private readonly lines = new Map<string, PairingFailure>();
  private count = 0;

  constructor(private readonly max: number) {}

  record(attempt: Omit<PairingFailure, 'count' | 'lastAt'>, at: number): void {
    this.count += 1;
    const address = hostKey(attempt.address);
    const key = `${address} ${attempt.kind} ${attempt.outcome}`;
    const line = this.lines.get(key);
    this.lines.delete(key);
    this.lines.set(key, { ...attempt, address, count: (line?.count ?? 0) + 1, lastAt: at });
    if (this.lines.size > this.max) this.lines.delete(this.lines.keys().next().value!);
  }

  /** Every failed attempt so far. */
  get total(): number {
    return this.count;
  }

  /** Newest first. */
  recent(): PairingFailure[] {
    return [...this.lines.values()].reverse();
  }
}
