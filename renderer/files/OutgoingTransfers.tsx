import { describeProgress } from '../../shared/files/transferProgress';
import type { OutgoingBatch } from './OutgoingFiles';
import './files.css';

type Props = {
  batches: readonly OutgoingBatch[];
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
};

/** Messages with files still on their way from this device: progress and Cancel; Try again when one failed. */
export function OutgoingTransfers({ batches, onCancel, onRetry }: Props) {
  if (batches.length === 0) return null;
  return (
    <ul className="transfers" aria-label="Files being sent" data-testid="outgoing-transfers">
      {batches.map((batch) => (
        <TransferItem key={batch.id} batch={batch} onCancel={onCancel} onRetry={onRetry} />
      ))}
    </ul>
  );
}

function TransferItem({ batch, onCancel, onRetry }: { batch: OutgoingBatch } & Omit<Props, 'batches'>) {
  const count = batch.files.length;
  const title = count === 1 ? batch.files[0]!.name : `${count} files`;
  const current = batch.files[batch.current]?.name ?? '';
  const failed = batch.phase === 'failed';
  const status = failed
    ? `Not sent: ${batch.error ?? 'unknown error'}`
    : batch.phase === 'preparing'
      ? `Preparing ${current}… ${batch.preparedPercent}%`
      : describeProgress(batch.progress);
  return (
    <li className={`transfer${failed ? ' transfer--failed' : ''}`} data-testid="transfer" data-phase={batch.phase}>
      <div className="transfer__text">
        <span className="transfer__title">{title}</span>
        <span className="transfer__status" role={failed ? 'alert' : undefined}>
          {status}
        </span>
      </div>
      {!failed && (
        <progress
          className="transfer__bar"
          max={100}
          value={batch.phase === 'preparing' ? undefined : batch.progress.percent}
          aria-label={`Sending ${title}`}
        />
      )}
      <div className="transfer__actions">
        {failed && (
          <button type="button" className="transfer__button" onClick={() => onRetry(batch.id)}>
            Try again
          </button>
        )}
        <button
          type="button"
          className="transfer__button"
          onClick={() => onCancel(batch.id)}
          aria-label={`${failed ? 'Remove' : 'Cancel'} sending ${title}`}
          data-testid="cancel-transfer"
        >
          {failed ? 'Remove' : 'Cancel'}
        </button>
      </div>
    </li>
  );
}
