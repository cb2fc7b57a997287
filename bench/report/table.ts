import type { ServerKind } from '../ipc/messages';
import type { Results } from './Results';

export const SERVER_NAMES: Record<ServerKind, string> = {
  ws: '(1) ws send loop',
  wsFrame: '(2) ws prepared frame',
  socketio: '(3) Socket.IO 4',
  roost: '(4) Roost hub',
};
const KINDS: ServerKind[] = ['ws', 'wsFrame', 'socketio', 'roost'];

/** The results as a Markdown table: medians with min-max, ratios against (1) and (3), and Roost's targets. */
export function formatTable(results: Results): string {
  const head = [
    'Measure',
    ...KINDS.map((k) => SERVER_NAMES[k]),
    '(2)/(1)',
    '(3)/(1)',
    '(4)/(1)',
    '(4)/(3)',
    'Roost target',
    'met',
  ];
  const rows = [head, head.map(() => '---')];
  for (const metric of results.metrics) {
    const cells = KINDS.map((k) => {
      const s = results.summary(metric.id, k);
      return s ? `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})` : 'n/a';
    });
    const ratios = [
      results.ratio(metric.id, 'wsFrame', 'ws'),
      results.ratio(metric.id, 'socketio', 'ws'),
      results.ratio(metric.id, 'roost', 'ws'),
      results.ratio(metric.id, 'roost', 'socketio'),
    ].map((r) => (r === null ? 'n/a' : `${r.toFixed(2)}x`));
    const roost = results.summary(metric.id, 'roost');
    const target = metric.target;
    const met =
      target && roost
        ? target.met(
            roost.median,
            results.ratio(metric.id, 'roost', 'ws'),
            results.ratio(metric.id, 'roost', 'socketio'),
          )
          ? 'yes'
          : 'NO'
        : '';
    rows.push([`${metric.label} [${metric.unit}]`, ...cells, ...ratios, target?.text ?? '', met]);
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 100_000) return `${(x / 1000).toFixed(0)}k`;
  if (a >= 10_000) return `${(x / 1000).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
