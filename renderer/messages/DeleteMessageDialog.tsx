import type { MessageWire } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { bridgeErrorText } from '../desktop/bridgeErrorText';
import type { OwnerControls } from '../desktop/useOwnerControls';
import { ConfirmedAction } from '../ui/ConfirmedAction';
import { Dialog } from '../ui/Dialog';

type Props = {
  message: MessageWire | undefined;
  /** Whether the person using the app sent it (from any of their devices). */
  own: boolean;
  senderName: string;
  /** The hub's owner's controls, for someone else's message. */
  owner: OwnerControls | undefined;
  onClose: () => void;
};

/**
 * Deletes a message for everyone, asked first since it cannot be undone: an own message through the hub like any
 * request (PROTOCOL.md 7.5), anyone else's only by the hub's owner, through the desktop app that hosts the hub.
 */
export function DeleteMessageDialog({ message, ...props }: Props) {
  return (
    <Dialog
      open={message !== undefined}
      title="Delete for everyone?"
      onClose={props.onClose}
      testId="delete-message-dialog"
    >
      {message && <DeleteMessageBody message={message} {...props} />}
    </Dialog>
  );
}

function DeleteMessageBody({ message, own, senderName, owner, onClose }: Props & { message: MessageWire }) {
  const client = useClient();
  const excerpt = message.text.length > 140 ? `${message.text.slice(0, 140)}…` : message.text;
  const byOwner = !own && owner !== undefined;
  return (
    <ConfirmedAction
      text={
        own
          ? 'Your message disappears from every device, and its text is erased from the hub. It cannot be undone.'
          : `This message from ${senderName} disappears from every device, and its text is erased from this hub. ` +
            'It cannot be undone.'
      }
      action={() =>
        byOwner
          ? owner.deleteMessage(message.conversationId, message.seq)
          : client.deleteMessage(message.conversationId, message.seq)
      }
      describeError={byOwner ? bridgeErrorText : undefined}
      onDone={onClose}
      onCancel={onClose}
      failure="Not deleted"
      confirmTestId="confirm-delete-message"
      confirmLabel="Delete for everyone"
      busyLabel="Deleting…"
    >
      <blockquote className="delete-message__quote">{excerpt}</blockquote>
    </ConfirmedAction>
  );
}
