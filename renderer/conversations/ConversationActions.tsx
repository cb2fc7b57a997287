import { useState } from 'react';
import type { ConversationState } from '../../shared/sync';
import { useRoost } from '../app/useRoost';
import { Icon } from '../ui/Icon';
import { AddMembersDialog } from './AddMembersDialog';
import { BlockUserDialog } from './BlockUserDialog';
import { LeaveRoomDialog } from './LeaveRoomDialog';
import { useUnblock } from './useUnblock';
import './ConversationActions.css';

type Props = {
  conversation: ConversationState;
  title: string;
  /** For a direct conversation: the other member. */
  peer: { id: string; displayName: string } | undefined;
  /** The room was left: the conversation is gone. */
  onLeft: () => void;
};

/**
 * The buttons in a conversation's header: a room's Add people and Leave, a direct conversation's
 * Block (or Unblock). General has none: everyone is in it, and nobody can leave it.
 */
export function ConversationActions({ conversation, title, peer, onLeft }: Props) {
  const [open, setOpen] = useState<'add' | 'leave' | 'block'>();
  const peerBlocked = useRoost((s) => peer !== undefined && s.blockedUserIds.includes(peer.id));
  const close = () => setOpen(undefined);

  if (conversation.kind === 'group') {
    return (
      <div className="conversation-actions">
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => setOpen('add')}
          aria-label="Add people"
          data-testid="add-members-button"
        >
          <Icon name="userPlus" size={17} />
          <span className="conversation__action-label">Add people</span>
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => setOpen('leave')}
          aria-label="Leave room"
          data-testid="leave-room-button"
        >
          <Icon name="leave" size={17} />
          <span className="conversation__action-label">Leave</span>
        </button>
        <AddMembersDialog open={open === 'add'} conversation={conversation} title={title} onClose={close} />
        <LeaveRoomDialog
          open={open === 'leave'}
          conversationId={conversation.id}
          title={title}
          onClose={close}
          onLeft={onLeft}
        />
      </div>
    );
  }
  // Someone blocked is unblocked from the notice above the composer (BlockedNotice), which says why nothing shows.
  if (!peer || peerBlocked) return null;
  return (
    <div className="conversation-actions">
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={() => setOpen('block')}
        aria-label={`Block ${peer.displayName}`}
        data-testid="block-user-button"
      >
        <Icon name="block" size={17} />
        <span className="conversation__action-label">Block</span>
      </button>
      <BlockUserDialog open={open === 'block'} userId={peer.id} name={peer.displayName} onClose={close} />
    </div>
  );
}

/** Above the composer of a direct conversation with someone blocked: why nothing of theirs shows. */
export function BlockedNotice({ peer }: { peer: { id: string; displayName: string } }) {
  const { unblock, busyId, error } = useUnblock();
  return (
    <div className="blocked-notice" data-testid="blocked-notice">
      <p className="blocked-notice__text">
        You blocked {peer.displayName}. Their messages are hidden, and they cannot start a conversation with you or add
        you to a room.
      </p>
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => unblock(peer.id)}
        disabled={busyId === peer.id}
        data-testid="unblock-user-button"
      >
        Unblock
      </button>
      {error && (
        <p className="form-error blocked-notice__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
