import type { ServerKind } from '../ipc/messages';
import { median, ratio } from './stats';

export type Metric = {
  id: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Decides whether Roost meets its target, from its median and its ratios against (1) and (3). */
  target?: { text: string; met(roost: number, vsWs: number | null, vsSocketIo: number | null): boolean };
  /** Decides whether the hub over TLS meets its target, from its ratio against the ws send loop over TLS (5). */
  tlsTarget?: { text: string; met(vsWsTls: number | null): boolean };
};

export type Summary = { median: number; min: number; max: number; runs: number[] };

/** Every sample of every measure, by server, in the order the runs happened. */
export class Results {
  readonly metrics: Metric[] = [];
  private readonly samples = new Map<string, Map<ServerKind, number[]>>();
  readonly notes: string[] = [];

  define(metric: Metric): void {
    if (this.metrics.some((m) => m.id === metric.id)) return;
    this.metrics.push(metric);
  }

  add(metricId: string, kind: ServerKind, value: number): void {
    let byKind = this.samples.get(metricId);
    if (!byKind) this.samples.set(metricId, (byKind = new Map()));
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, (list = []));
    list.push(value);
  }

  /** Whether any metric has samples from any of `kinds`. */
  hasAny(kinds: readonly ServerKind[]): boolean {
    return [...this.samples.values()].some((byKind) => kinds.some((k) => (byKind.get(k)?.length ?? 0) > 0));
  }

  values(metricId: string, kind: ServerKind): number[] {
    return this.samples.get(metricId)?.get(kind) ?? [];
  }

  summary(metricId: string, kind: ServerKind): Summary | null {
    const runs = this.values(metricId, kind);
    if (runs.length === 0) return null;
    return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
  }

  ratio(metricId: string, kind: ServerKind, against: ServerKind): number | null {
    if (kind === against) return null;
    return ratio(this.values(metricId, kind), this.values(metricId, against));
  }
}
