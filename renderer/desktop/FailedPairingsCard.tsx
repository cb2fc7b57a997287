import type { PairingFailure } from '../../shared/desktop';
import { formatClock } from '../ui/time';
import { failureLabel } from './pairingLabels';

/** Recent failed pairing attempts, so the owner sees someone guessing (and from where). */
export function FailedPairingsCard({ failures }: { failures: readonly PairingFailure[] }) {
  if (failures.length === 0) return null;
  return (
    <section className="hosting-section" aria-labelledby="failed-pairings-title">
      <h2 id="failed-pairings-title" className="hosting-section__title">
        Failed pairing attempts <span className="badge badge--quiet">{failures.length}</span>
      </h2>
      <ul className="failed-pairings" aria-label="Failed pairing attempts" data-testid="failed-pairings">
        {failures.map((f) => (
          <li
            key={`${f.address} ${f.kind} ${f.outcome}`}
            className="failed-pairings__item"
            data-testid="failed-pairing"
            data-address={f.address}
            data-kind={f.kind}
            data-outcome={f.outcome}
          >
            <span className="failed-pairings__what">
              {failureLabel(f)}
              {f.count > 1 && <span className="failed-pairings__count"> ×{f.count}</span>}
            </span>
            <code className="failed-pairings__address">{f.address}</code>
            <time className="failed-pairings__time" dateTime={new Date(f.lastAt).toISOString()}>
              {formatClock(f.lastAt)}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
