import { useClient } from '../app/useClient';
import { useNow } from '../app/useNow';
import { useRoost } from '../app/useRoost';
import { connectionText } from './connectionText';
import { NOT_ENCRYPTED_EXPLANATION, pageIsUnencrypted } from './pageSecurity';
import './ConnectionStatus.css';

/**
 * Whether the hub is reachable, always on screen, with the number of own
 * messages still waiting to be sent. Only the label is a live region, so a
 * screen reader hears changes but not the retry countdown.
 */
export function ConnectionStatus() {
  const client = useClient();
  const status = useRoost((s) => s.status);
  const pendingCount = useRoost((s) => s.pendingCount);
  const nextAttemptAt = useRoost((s) => s.reconnect?.nextAttemptAt);
  const now = useNow(1000, status === 'reconnecting');
  const text = connectionText(status, pendingCount, nextAttemptAt, now);

  return (
    <div
      className={`connection connection--${status}`}
      data-testid="connection-status"
      data-status={status}
      data-pending={pendingCount}
      title={text.description}
    >
      {pageIsUnencrypted(location) && <NotEncryptedMark />}
      <span className="connection__dot" aria-hidden="true" />
      <span role="status" className="connection__text">
        <span className="connection__label">{text.label}</span>
        {text.pending && <span className="connection__pending"> · {text.pending}</span>}
      </span>
      {text.retry && (
        <span className="connection__retry" aria-hidden="true">
          {text.retry}
        </span>
      )}
      {status === 'reconnecting' && (
        <button type="button" className="connection__action" onClick={() => client.retryNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}

/**
 * Text, not only colour; the explanation shows on hover and keyboard focus (CSS, from data-explanation)
 * and is read by screen readers from the hidden text.
 */
function NotEncryptedMark() {
  return (
    <span
      className="connection__insecure"
      data-testid="not-encrypted"
      data-explanation={NOT_ENCRYPTED_EXPLANATION}
      // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- focus shows the explanation
      tabIndex={0}
    >
      Not encrypted<span className="sr-only">: {NOT_ENCRYPTED_EXPLANATION}</span>
    </span>
  );
}
