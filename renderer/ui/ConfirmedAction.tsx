import { useState, type ReactNode } from 'react';
import { DialogActions } from './DialogActions';
import { FormError } from './FormError';

type Props = {
  /** What confirming does, said plainly. */
  text: ReactNode;
  /** Shown under the text: what the action applies to (the message to delete). */
  children?: ReactNode;
  /** The irreversible action; `onDone` runs once it resolves. */
  action: () => Promise<unknown>;
  onDone: () => void;
  onCancel: () => void;
  /** Leads the error shown when the action fails ("Not removed"). */
  failure: string;
  describeError?: (err: unknown) => string;
  confirmLabel: string;
  busyLabel: string;
  confirmTestId: string;
};

/**
 * The body of a dialog that confirms one destructive action: the explanation, Cancel (focused first) and the
 * confirm button, busy while the action runs, and its error, after which it can be tried again.
 */
export function ConfirmedAction({
  text,
  action,
  onDone,
  onCancel,
  failure,
  describeError = messageOf,
  children,
  ...labels
}: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      onDone();
    } catch (err) {
      setError(`${failure}: ${describeError(err)}`);
      setBusy(false);
    }
  };
  return (
    <>
      <p className="dialog__text">{text}</p>
      {children}
      <FormError error={error} />
      <DialogActions
        onCancel={onCancel}
        focusCancel
        danger
        onConfirm={() => void confirm()}
        disabled={busy}
        confirmTestId={labels.confirmTestId}
        confirmLabel={busy ? labels.busyLabel : labels.confirmLabel}
      />
    </>
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
