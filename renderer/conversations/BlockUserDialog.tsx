import { useClient } from '../app/useClient';
import { Dialog } from '../ui/Dialog';
import { ConfirmedAction } from '../ui/ConfirmedAction';

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
  return (
    <ConfirmedAction
      text={
        'Their messages are hidden from you, here and in every room, and they can no longer start a conversation ' +
        'with you or add you to a room. They are not told. You can unblock them from Devices.'
      }
      action={() => client.blockUser(userId)}
      onDone={onClose}
      onCancel={onClose}
      failure="Not blocked"
      confirmTestId="confirm-block-user"
      confirmLabel="Block"
      busyLabel="Blocking…"
    />
  );
}
