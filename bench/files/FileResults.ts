import { median, ratio } from '../report/stats';
import type { Summary } from '../report/Results';
import { fmt } from '../report/table';

/** The two servers of the file benchmark: the Roost hub, and the plain Node HTTPS server it is measured against. */
export type FileSide = 'hub' | 'peer';

export type FileMetric = {
  id: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Decides from the hub's ratio against the peer (median of per-run ratios) whether the hub meets its target. */
  target?: { text: string; met(hubVsPeer: number | null): boolean };
};

const SIDES: readonly FileSide[] = ['hub', 'peer'];

/** Every sample of the file benchmark, by side, in the order the runs happened (interleaved, so run i pairs up). */
export class FileResults {
  readonly metrics: FileMetric[] = [];
  private readonly samples = new Map<string, Record<FileSide, number[]>>();

  define(metric: FileMetric): void {
    if (!this.metrics.some((m) => m.id === metric.id)) this.metrics.push(metric);
  }

  add(metricId: string, side: FileSide, value: number): void {
    let bySide = this.samples.get(metricId);
    if (!bySide) this.samples.set(metricId, (bySide = { hub: [], peer: [] }));
    bySide[side].push(value);
  }

  summary(metricId: string, side: FileSide): Summary | null {
    const runs = this.samples.get(metricId)?.[side] ?? [];
    if (runs.length === 0) return null;
    return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
  }

  /** hub / peer: the median of per-run ratios when both have the same runs. */
  ratio(metricId: string): number | null {
    const bySide = this.samples.get(metricId);
    return bySide ? ratio(bySide.hub, bySide.peer) : null;
  }

  met(metric: FileMetric): boolean | null {
    if (!metric.target || !this.summary(metric.id, 'hub')) return null;
    return metric.target.met(this.ratio(metric.id));
  }

  /** A Markdown table: medians with min-max for each side, hub/peer, the target and whether it is met. */
  formatTable(): string {
    const head = ['Measure', 'Roost hub', 'Peer: plain Node HTTPS', 'hub/peer', 'target', 'met'];
    const rows = [head, head.map(() => '---')];
    for (const metric of this.metrics) {
      const cells = SIDES.map((side) => {
        const s = this.summary(metric.id, side);
        return s ? `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})` : 'n/a';
      });
      const r = this.ratio(metric.id);
      const met = this.met(metric);
      rows.push([
        `${metric.label} [${metric.unit}]`,
        ...cells,
        r === null ? 'n/a' : `${r.toFixed(2)}x`,
        metric.target?.text ?? '',
        met === null ? '' : met ? 'yes' : 'NO',
      ]);
    }
    return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  }

  toJson() {
    return this.metrics.map((m) => ({
      ...m,
      target: m.target?.text,
      hub: this.summary(m.id, 'hub'),
      peer: this.summary(m.id, 'peer'),
      hubVsPeer: this.ratio(m.id),
      met: this.met(m),
    }));
  }
}
