/** Latency samples in milliseconds, kept in a growing typed array (hundreds of thousands per window). */
export class Latencies {
  private samples = new Float64Array(1 << 16);
  private count = 0;

  add(ms: number): void {
    if (this.count === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.count++] = ms;
  }

  clear(): void {
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** p in 0..100; null without samples. */
  percentiles(...ps: number[]): Array<number | null> {
    if (this.count === 0) return ps.map(() => null);
    const sorted = this.samples.slice(0, this.count).sort();
    return ps.map((p) => sorted[Math.min(this.count - 1, Math.floor((p / 100) * this.count))]!);
  }
}
