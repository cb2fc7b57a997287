import type { ReactNode } from 'react';

type Props = {
  onCancel: () => void;
  /** The confirming button; a submit button unless `onConfirm` is given. */
  confirmLabel: ReactNode;
  onConfirm?: () => void;
  disabled?: boolean;
  danger?: boolean;
  /** Focus Cancel first (for destructive actions). */
  focusCancel?: boolean;
  confirmTestId?: string;
};

/** The Cancel / confirm row at the bottom of a dialog. */
export function DialogActions({
  onCancel,
  confirmLabel,
  onConfirm,
  disabled,
  danger,
  focusCancel,
  confirmTestId,
}: Props) {
  return (
    <div className="dialog__actions">
      <button type="button" className="button button--ghost" onClick={onCancel} autoFocus={focusCancel}>
        Cancel
      </button>
      <button
        type={onConfirm ? 'button' : 'submit'}
        className={`button ${danger ? 'button--danger' : 'button--primary'}`}
        onClick={onConfirm}
        disabled={disabled}
        data-testid={confirmTestId}
      >
        {confirmLabel}
      </button>
    </div>
  );
}
