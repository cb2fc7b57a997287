import { memo } from 'react';
import type { MessageWire } from '../../shared/protocol';
import { DELETED_MESSAGE_TEXT, type OutboxEntry } from '../../shared/sync';
import { AttachmentList } from '../files/AttachmentList';
import { Avatar } from '../ui/Avatar';
import { Icon, type IconName } from '../ui/Icon';
import { formatClock, formatFull } from '../ui/time';
import { LinkifiedText } from './LinkifiedText';
import type { OwnStatus } from './messageStatus';

const STATUS_ICONS: Record<OwnStatus, IconName> = {
  pending: 'clock',
  failed: 'alert',
  sent: 'check',
  delivered: 'checks',
  read: 'checks',
};

function StatusMark({ status, words }: { status: OwnStatus; words: string }) {
  return (
    <span className={`status status--${status}`} title={words}>
      <Icon name={STATUS_ICONS[status]} size={15} />
      <span className="sr-only">{words}</span>
    </span>
  );
}

type MessageProps = {
  message: MessageWire;
  own: boolean;
  startsGroup: boolean;
  /** Sender's name, shown above the first message of a group from someone else in a room. */
  senderName: string;
  showSender: boolean;
  /** Own messages only: the state, and the same in words ("Read by 2 of 3"). */
  status: OwnStatus | undefined;
  statusText: string | undefined;
  /** Delete this message for everyone (asks first): own messages, and any for the hub's owner on its desktop app. */
  onDelete?: (message: MessageWire) => void;
  /** Opens the picture viewer on one of this message's pictures. */
  onOpenImage?: (seq: number, index: number) => void;
};

/** A message the hub has: others' on the left with their name, own on the right with delivery state. */
export const MessageItem = memo(function MessageItem({
  message,
  own,
  startsGroup,
  senderName,
  showSender,
  status,
  statusText,
  onDelete,
  onOpenImage,
}: MessageProps) {
  const time = formatClock(message.sentAt);
  const deletable = onDelete !== undefined && !message.deleted;
  const rowClass = [
    'message',
    own ? 'message--own' : 'message--other',
    startsGroup && 'message--first',
    showSender && 'message--with-avatar',
    message.deleted && 'message--deleted',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={rowClass}
      data-testid="message"
      data-seq={message.seq}
      data-own={own}
      data-status={status}
      data-sender={message.senderUserId}
      data-deleted={message.deleted ? 'true' : undefined}
      onContextMenu={
        deletable
          ? (event) => {
              event.preventDefault();
              onDelete(message);
            }
          : undefined
      }
    >
      {showSender && (
        <div className="message__gutter">
          {startsGroup && <Avatar id={message.senderUserId} name={senderName} size="small" />}
        </div>
      )}
      <div className="message__body">
        {showSender && startsGroup && <div className="message__sender">{senderName}</div>}
        <div className="bubble">
          <span className="sr-only">{own ? 'You' : senderName}: </span>
          {message.attachments && !message.deleted && (
            <AttachmentList
              conversationId={message.conversationId}
              seq={message.seq}
              attachments={message.attachments}
              onOpenImage={onOpenImage}
            />
          )}
          <span className="bubble__text">
            {message.deleted ? (
              <span className="bubble__deleted">{DELETED_MESSAGE_TEXT}</span>
            ) : (
              <LinkifiedText text={message.text} />
            )}
          </span>
          <span className="bubble__meta">
            <time dateTime={new Date(message.sentAt).toISOString()} title={formatFull(message.sentAt)}>
              {time}
            </time>
            {status && <StatusMark status={status} words={statusText ?? ''} />}
          </span>
        </div>
        {deletable && (
          <button
            type="button"
            className="icon-button message__delete"
            aria-label={own ? 'Delete for everyone' : `Delete for everyone (sent by ${senderName})`}
            title="Delete for everyone"
            data-testid="delete-message"
            onClick={() => onDelete(message)}
          >
            <Icon name="trash" size={16} />
          </button>
        )}
      </div>
    </div>
  );
});

type PendingProps = {
  entry: OutboxEntry;
  startsGroup: boolean;
  onRetry: (id: string) => void;
  onDiscard: (id: string) => void;
};

/** An own message still on its way (or refused by the hub, with retry and discard). */
export const PendingItem = memo(function PendingItem({ entry, startsGroup, onRetry, onDiscard }: PendingProps) {
  const status: OwnStatus = entry.status === 'failed' ? 'failed' : 'pending';
  const rowClass = [
    'message message--own message--pending',
    startsGroup && 'message--first',
    status === 'failed' && 'message--failed',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={rowClass}
      data-testid="message"
      data-own="true"
      data-status={status}
      data-client-msg-id={entry.clientMsgId}
    >
      <div className="message__body">
        <div className="bubble">
          <span className="sr-only">You: </span>
          {entry.attachments && (
            <AttachmentList conversationId={entry.conversationId} seq={undefined} attachments={entry.attachments} />
          )}
          <span className="bubble__text">
            <LinkifiedText text={entry.text} />
          </span>
          <span className="bubble__meta">
            <time dateTime={new Date(entry.createdAt).toISOString()}>{formatClock(entry.createdAt)}</time>
            <StatusMark status={status} words={status === 'failed' ? 'Not sent' : 'Sending'} />
          </span>
        </div>
        {status === 'failed' && (
          <div className="message__failure" role="alert">
            <span>Not sent{entry.lastError ? ` (${entry.lastError})` : ''}.</span>
            <button type="button" className="link-button" onClick={() => onRetry(entry.clientMsgId)}>
              Retry
            </button>
            <button type="button" className="link-button" onClick={() => onDiscard(entry.clientMsgId)}>
              Discard
            </button>
          </div>
        )}
      </div>
    </div>
  );
});
