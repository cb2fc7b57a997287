import { useClient } from '../app/useClient';
import { Dialog } from '../ui/Dialog';
import { ConfirmedAction } from '../ui/ConfirmedAction';

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
  return (
    <ConfirmedAction
      text={
        'Its messages stop coming, and it goes from your conversations on all your devices. What you wrote stays ' +
        'for the others. A member can add you again; to keep someone from adding you, block them.'
      }
      action={() => client.leaveConversation(conversationId)}
      onDone={onLeft}
      onCancel={onClose}
      failure="Not left"
      confirmTestId="confirm-leave-room"
      confirmLabel="Leave room"
      busyLabel="Leaving…"
    />
  );
}
