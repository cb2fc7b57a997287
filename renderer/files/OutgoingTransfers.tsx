import { describeProgress } from '../../shared/files/transferProgress';
import type { OutgoingBatch } from './OutgoingFiles';
import './files.css';

type Props = {
  batches: readonly OutgoingBatch[];
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
};

/**
 * Messages with files still on their way from this device: progress and Cancel; Try again when one failed.
 * While the hub cannot be reached they say so: they wait, and go by themselves once it can.
 */
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
  const status = failed ? `Not sent: ${batch.error ?? 'unknown error'}` : describeStatus(batch, current);
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

function describeStatus(batch: OutgoingBatch, current: string): string {
  switch (batch.phase) {
    case 'preparing':
      return `Preparing ${current}… ${batch.preparedPercent}%`;
    case 'waiting':
      return batch.progress.bytesSent > 0
        ? `Waiting for the hub · ${batch.progress.percent}% sent`
        : 'Waiting for the hub';
    default:
      return describeProgress(batch.progress);
  }
}
