import { useState } from 'react';
import { useClient } from '../app/useClient';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';

type Props = { open: boolean; userId: string; name: string; onClose: () => void };

/** Blocking hides someone everywhere at once, so it says what it does and is confirmed first. */
export function BlockUserDialog({ open, userId, name, onClose }: Props) {
  return (
    <Dialog open={open} title={`Block ${name}?`} onClose={onClose} testId="block-user-dialog">
      <BlockUserBody userId={userId} onClose={onClose} />
    </Dialog>
  );
}

function BlockUserBody({ userId, onClose }: Pick<Props, 'userId' | 'onClose'>) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const block = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.blockUser(userId);
      onClose();
    } catch (err) {
      setError(`Not blocked: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };

  return (
    <>
      <p className="dialog__text">
        Their messages are hidden from you, here and in every room, and they can no longer start a conversation with you
        or add you to a room. They are not told. You can unblock them from Devices.
      </p>
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        focusCancel
        danger
        onConfirm={() => void block()}
        disabled={busy}
        confirmTestId="confirm-block-user"
        confirmLabel={busy ? 'Blocking…' : 'Block'}
      />
    </>
  );
}
