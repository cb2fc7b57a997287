import type { WindowStats } from '../ipc/messages';
import { nowMicros, stampedText } from './clock';
import type { Sender } from './Dialect';
import type { Recorder } from './Recorder';

const TICK_MS = 2;

/**
 * Drives one sender against N receivers. `saturate` keeps a fixed number of
 * deliveries in flight (sent x N minus received), refilled as deliveries
 * arrive, so the server always has work and nothing queues without bound.
 * `fixed` sends on a clock at a given offered rate of deliveries.
 */
export class LoadDriver {
  private sent = 0;
  private timer: NodeJS.Timeout | null = null;
  private window: { t0: number; deliveries: number; sent: number } | null = null;

  constructor(
    private readonly sender: Sender,
    private readonly recorder: Recorder,
    private readonly receivers: number,
  ) {}

  saturate(windowDeliveries: number): void {
    this.stop();
    const budget = Math.max(windowDeliveries, this.receivers);
    const pump = () => {
      while ((this.sent + 1) * this.receivers - this.recorder.deliveries <= budget) this.sendOne();
    };
    this.recorder.onDelivery = pump;
    pump();
  }

  fixed(deliveriesPerSec: number): void {
    this.stop();
    const perMicro = deliveriesPerSec / this.receivers / 1e6;
    const t0 = nowMicros();
    const base = this.sent;
    this.timer = setInterval(() => {
      const due = base + Math.floor((nowMicros() - t0) * perMicro);
      while (this.sent < due) this.sendOne();
    }, TICK_MS);
  }

  measureStart(): void {
    this.recorder.latencies.clear();
    this.recorder.measuring = true;
    this.window = { t0: nowMicros(), deliveries: this.recorder.deliveries, sent: this.sent };
  }

  measureStop(): WindowStats {
    const w = this.window;
    if (!w) throw new Error('measureStop without measureStart');
    this.window = null;
    this.recorder.measuring = false;
    const [p50, p99] = this.recorder.latencies.percentiles(50, 99);
    return {
      seconds: (nowMicros() - w.t0) / 1e6,
      deliveries: this.recorder.deliveries - w.deliveries,
      sent: this.sent - w.sent,
      p50Ms: p50 ?? null,
      p99Ms: p99 ?? null,
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.recorder.onDelivery = null;
  }

  /**
   * Stops sending and waits for what is in flight, so the next phase starts
   * from an idle server. Returns how many deliveries never came (0 unless a
   * server dropped something), and forgets them.
   */
  async drain(timeoutMs = 5000): Promise<number> {
    this.stop();
    const expected = this.sent * this.receivers;
    const deadline = Date.now() + timeoutMs;
    while (this.recorder.deliveries < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const missing = Math.max(0, expected - this.recorder.deliveries);
    this.recorder.deliveries = expected;
    return missing;
  }

  private sendOne(): void {
    this.sent += 1;
    this.sender.send(stampedText());
  }
}
