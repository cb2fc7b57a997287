import { useState } from 'react';
import { useClient } from '../app/useClient';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';

type Props = { open: boolean; conversationId: string; title: string; onClose: () => void; onLeft: () => void };

/** Leaving a room takes it off every device of the user, so it is confirmed first. */
export function LeaveRoomDialog({ open, conversationId, title, onClose, onLeft }: Props) {
  return (
    <Dialog open={open} title={`Leave ${title}?`} onClose={onClose} testId="leave-room-dialog">
      <LeaveRoomBody conversationId={conversationId} onClose={onClose} onLeft={onLeft} />
    </Dialog>
  );
}

function LeaveRoomBody({ conversationId, onClose, onLeft }: Omit<Props, 'open' | 'title'>) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const leave = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.leaveConversation(conversationId);
      onLeft();
    } catch (err) {
      setError(`Not left: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };

  return (
    <>
      <p className="dialog__text">
        Its messages stop coming, and it goes from your conversations on all your devices. What you wrote stays for the
        others. A member can add you again; to keep someone from adding you, block them.
      </p>
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        focusCancel
        danger
        onConfirm={() => void leave()}
        disabled={busy}
        confirmTestId="confirm-leave-room"
        confirmLabel={busy ? 'Leaving…' : 'Leave room'}
      />
    </>
  );
}
