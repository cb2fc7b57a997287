import { nowMicros, stampOf } from './clock';
import { Latencies } from './Latencies';

/** Counts deliveries across all receivers and, while measuring, their latencies. */
export class Recorder {
  deliveries = 0;
  measuring = false;
  readonly latencies = new Latencies();
  /** Called after each delivery; the saturating sender uses it to refill its window. */
  onDelivery: (() => void) | null = null;

  readonly onFrame = (frame: Buffer): void => {
    const sentAt = stampOf(frame);
    if (sentAt < 0) return;
    this.deliveries += 1;
    if (this.measuring) this.latencies.add((nowMicros() - sentAt) / 1000);
    this.onDelivery?.();
  };
}
