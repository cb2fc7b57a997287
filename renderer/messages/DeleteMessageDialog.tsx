import { useState } from 'react';
import type { MessageWire } from '../../shared/protocol';
import { bridgeErrorText } from '../desktop/bridgeErrorText';
import type { OwnerControls } from '../desktop/useOwnerControls';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';

type Props = {
  message: MessageWire | undefined;
  senderName: string;
  controls: OwnerControls;
  onClose: () => void;
};

/** The hub's owner deletes a message for everyone: asked first, since it cannot be undone. */
export function DeleteMessageDialog({ message, senderName, controls, onClose }: Props) {
  return (
    <Dialog open={message !== undefined} title="Delete for everyone?" onClose={onClose} testId="delete-message-dialog">
      {message && <DeleteMessageBody message={message} senderName={senderName} controls={controls} onClose={onClose} />}
    </Dialog>
  );
}

function DeleteMessageBody({
  message,
  senderName,
  controls,
  onClose,
}: Omit<Props, 'message'> & { message: MessageWire }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const excerpt = message.text.length > 140 ? `${message.text.slice(0, 140)}…` : message.text;

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await controls.deleteMessage(message.conversationId, message.seq);
      onClose();
    } catch (err) {
      setError(`Not deleted: ${bridgeErrorText(err)}`);
      setBusy(false);
    }
  };

  return (
    <>
      <p className="dialog__text">
        This message from {senderName} disappears from every device, and its text is erased from this hub. It cannot be
        undone.
      </p>
      <blockquote className="delete-message__quote">{excerpt}</blockquote>
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        focusCancel
        danger
        onConfirm={() => void remove()}
        disabled={busy}
        confirmTestId="confirm-delete-message"
        confirmLabel={busy ? 'Deleting…' : 'Delete for everyone'}
      />
    </>
  );
}
