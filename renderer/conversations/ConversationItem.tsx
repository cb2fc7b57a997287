import { memo, type Ref } from 'react';
import { Avatar } from '../ui/Avatar';
import { formatListTime } from '../ui/time';
import type { ConversationSummary } from './conversationSummaries';

type Props = {
  /** The virtualizer measures each drawn row through this. */
  ref?: Ref<HTMLLIElement>;
  /** Place in the whole list (0-based) and the list's length, for assistive technology: only some rows exist. */
  index: number;
  setSize: number;
  /** Pixels from the top of the list. */
  offset: number;
  summary: ConversationSummary;
  selected: boolean;
  now: number;
  presenceKnown: boolean;
  onOpen: (id: string) => void;
};

/** One conversation: name, newest message, when, and how many are unread. */
export const ConversationItem = memo(function ConversationItem({
  ref,
  index,
  setSize,
  offset,
  summary: s,
  selected,
  now,
  presenceKnown,
  onOpen,
}: Props) {
  const preview = s.typing
    ? 'typing…'
    : s.preview === undefined
      ? s.kind === 'direct'
        ? 'Say hello'
        : 'No messages yet'
      : s.preview;
  const prefix =
    s.typing || s.preview === undefined
      ? ''
      : s.previewFromSelf
        ? 'You: '
        : s.previewSender
          ? `${s.previewSender}: `
          : '';
  const hasTime = s.preview !== undefined;
  const itemClass = [
    'conversation-item',
    selected && 'conversation-item--selected',
    s.unread > 0 && 'conversation-item--unread',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li
      ref={ref}
      className="conversation-list__entry"
      data-index={index}
      aria-setsize={setSize}
      aria-posinset={index + 1}
      style={{ transform: `translateY(${offset}px)` }}
    >
      <button
        type="button"
        className={itemClass}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onOpen(s.id)}
        data-testid="conversation-item"
        data-conversation-id={s.id}
        data-unread={s.unread}
      >
        <Avatar
          id={s.peerUserId ?? s.id}
          name={s.title}
          room={s.kind !== 'direct'}
          online={s.kind === 'direct' && presenceKnown ? s.peerOnline : undefined}
        />
        <span className="conversation-item__main">
          <span className="conversation-item__top">
            <span className="conversation-item__title">{s.title}</span>
            {s.kind === 'direct' && presenceKnown && (
              <span className="sr-only">{s.peerOnline ? ', online' : ', offline'}</span>
            )}
            {hasTime && (
              <time className="conversation-item__time" dateTime={new Date(s.lastActivityAt).toISOString()}>
                {formatListTime(s.lastActivityAt, now)}
              </time>
            )}
          </span>
          <span className="conversation-item__bottom">
            <span className={`conversation-item__preview${s.typing ? ' conversation-item__preview--typing' : ''}`}>
              {prefix}
              {preview}
            </span>
            {s.unread > 0 && (
              <span className="badge" role="img" aria-label={`${s.unread} unread`} data-testid="unread-badge">
                {s.unread > 99 ? '99+' : s.unread}
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  );
});
