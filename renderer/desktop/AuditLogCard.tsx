import { useEffect, useState } from 'react';
import type { AuditEntry, HostingStatus } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { formatListTime } from '../ui/time';
import { useNow } from '../app/useNow';
import { auditSentence } from './auditLabels';
import { bridgeErrorText } from './bridgeErrorText';
import { useBridgeValue } from './useBridgeValue';

/** How many of the newest audit entries the card shows. */
const SHOWN = 20;

type Running = Extract<HostingStatus, { state: 'running' }>;

/**
 * The newest entries of the hub's audit log: what the owner did (here or with the CLI) and failed pairings.
 * Read again whenever people, pairing or the hub's name change.
 */
export function AuditLogCard({ bridge, status }: { bridge: DesktopBridge; status: Running }) {
  const people = useBridgeValue(bridge, 'people', () => bridge.people());
  // Pairings and removals change the log; devices merely connecting do not, and are frequent.
  const peopleKey = people?.map((u) => `${u.id}:${u.removedAt ?? ''}:${u.devices.length}`).join(',');
  const now = useNow(60_000);
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [error, setError] = useState<string>();
  const { failedAttempts } = status.pairing;
  const pairingOpen = status.pairing.open;

  useEffect(() => {
    let active = true;
    bridge
      .auditLog(SHOWN)
      .then((read) => {
        if (!active) return;
        setEntries(read);
        setError(undefined);
      })
      .catch((err: unknown) => active && setError(bridgeErrorText(err)));
    return () => {
      active = false;
    };
  }, [bridge, peopleKey, failedAttempts, pairingOpen, status.name]);

  return (
    <section className="hosting-section" aria-labelledby="audit-title">
      <h2 id="audit-title" className="hosting-section__title">
        Audit log
      </h2>
      {error && (
        <p className="form-error" role="alert">
          Could not read the audit log: {error}
        </p>
      )}
      {entries?.length === 0 && <p className="hosting-section__empty">Nothing yet.</p>}
      {entries && entries.length > 0 && (
        <ol className="failed-pairings audit-log" aria-label="Newest audit entries" data-testid="audit-log">
          {entries.map((e, i) => (
            <li
              key={`${e.at}-${i}`}
              className="failed-pairings__item audit-log__item"
              data-testid="audit-entry"
              data-action={e.action}
              data-actor={e.actor}
              data-result={e.result}
            >
              <span className="failed-pairings__what">{auditSentence(e)}</span>
              <time className="failed-pairings__time" dateTime={new Date(e.at).toISOString()}>
                {formatListTime(e.at, now)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
