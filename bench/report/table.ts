import type { ServerKind } from '../ipc/messages';
import type { Metric, Results } from './Results';

export const SERVER_NAMES: Record<ServerKind, string> = {
  ws: '(1) ws send loop',
  wsFrame: '(2) ws prepared frame',
  socketio: '(3) Socket.IO 4',
  roost: '(4) Roost hub',
  wsTls: '(5) ws send loop, TLS',
  roostTls: '(6) Roost hub, TLS',
};
const PLAIN: ServerKind[] = ['ws', 'wsFrame', 'socketio', 'roost'];
const TLS: ServerKind[] = ['wsTls', 'roostTls'];

type Ratio = { head: string; of: ServerKind; against: ServerKind };
const PLAIN_RATIOS: Ratio[] = [
  { head: '(2)/(1)', of: 'wsFrame', against: 'ws' },
  { head: '(3)/(1)', of: 'socketio', against: 'ws' },
  { head: '(4)/(1)', of: 'roost', against: 'ws' },
  { head: '(4)/(3)', of: 'roost', against: 'socketio' },
];
const TLS_RATIOS: Ratio[] = [{ head: '(6)/(5)', of: 'roostTls', against: 'wsTls' }];
/** What TLS itself costs each server: only with both groups in the run. */
const CROSS_RATIOS: Ratio[] = [
  { head: '(5)/(1)', of: 'wsTls', against: 'ws' },
  { head: '(6)/(4)', of: 'roostTls', against: 'roost' },
];

/**
 * The results as a Markdown table: medians with min-max, ratios against (1)
 * and (3), and Roost's targets; with servers over TLS in the run, their
 * columns, the hub's ratio against ws over TLS (5) and its TLS target too. A
 * run of plain servers only prints the table it always did; a run of TLS
 * servers only leaves the plain columns out.
 */
export function formatTable(results: Results): string {
  const tls = results.hasAny(TLS);
  const plain = !tls || results.hasAny(PLAIN);
  const kinds = [...(plain ? PLAIN : []), ...(tls ? TLS : [])];
  const ratios = [...(plain ? PLAIN_RATIOS : []), ...(tls ? TLS_RATIOS : []), ...(plain && tls ? CROSS_RATIOS : [])];
  const head = [
    'Measure',
    ...kinds.map((k) => SERVER_NAMES[k]),
    ...ratios.map((r) => r.head),
    ...(plain ? ['Roost target', 'met'] : []),
    ...(tls ? ['TLS target', 'met'] : []),
  ];
  const rows = [head, head.map(() => '---')];
  for (const metric of results.metrics) {
    const cells = kinds.map((k) => {
      const s = results.summary(metric.id, k);
      return s ? `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})` : 'n/a';
    });
    const ratioCells = ratios.map((r) => {
      const value = results.ratio(metric.id, r.of, r.against);
      return value === null ? 'n/a' : `${value.toFixed(2)}x`;
    });
    rows.push([
      `${metric.label} [${metric.unit}]`,
      ...cells,
      ...ratioCells,
      ...(plain ? [metric.target?.text ?? '', plainMet(results, metric)] : []),
      ...(tls ? [metric.tlsTarget?.text ?? '', tlsMet(results, metric)] : []),
    ]);
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function plainMet(results: Results, metric: Metric): string {
  const roost = results.summary(metric.id, 'roost');
  if (!metric.target || !roost) return '';
  const vsWs = results.ratio(metric.id, 'roost', 'ws');
  return metric.target.met(roost.median, vsWs, results.ratio(metric.id, 'roost', 'socketio')) ? 'yes' : 'NO';
}

function tlsMet(results: Results, metric: Metric): string {
  if (!metric.tlsTarget || !results.summary(metric.id, 'roostTls')) return '';
  return metric.tlsTarget.met(results.ratio(metric.id, 'roostTls', 'wsTls')) ? 'yes' : 'NO';
}

export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 100_000) return `${(x / 1000).toFixed(0)}k`;
  if (a >= 10_000) return `${(x / 1000).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
