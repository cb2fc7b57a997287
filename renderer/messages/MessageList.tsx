import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MessageWire } from '../../shared/protocol';
import { userName, type ConversationState } from '../../shared/sync';
import { useClient } from '../app/useClient';
import { usePageAttended } from '../app/usePageAttended';
import { useNow } from '../app/useNow';
import { useRoost } from '../app/useRoost';
import { useOwnerControls } from '../desktop/useOwnerControls';
import { attachmentsHeight, conversationImages } from '../files/attachmentLayout';
import { ImageViewer, type ImagePosition } from '../files/ImageViewer';
import { Icon } from '../ui/Icon';
import { formatDayLabel } from '../ui/time';
import { DeleteMessageDialog } from './DeleteMessageDialog';
import { MessageItem, PendingItem } from './MessageRow';
import { describeStatus, ownMessageStatus } from './messageStatus';
import { buildRows, type Row } from './timelineRows';
import { useKeepAtEnd } from './useKeepAtEnd';
import { useMarkRead } from './useMarkRead';

/** Within this many pixels of the bottom counts as at the bottom (reading the newest). */
const END_THRESHOLD_PX = 48;
const TOP_PADDING_PX = 8;
/** Older history is fetched once the first rendered row is this close to the top (a screen or two ahead). */
const LOAD_OLDER_WITHIN_ROWS = 60;

type Props = {
  conversation: ConversationState;
  title: string;
  selfUserId: string;
  selfDeviceId: string;
  /** Rooms show each sender's name and avatar; a direct conversation does not need to. */
  showSenders: boolean;
  /** Changes each time this device sends: the list jumps to the newest message. */
  sentCount: number;
};

function estimateSize(row: Row): number {
  const files = attachmentsHeight(row.kind === 'message' ? row.message.attachments : row.entry.attachments);
  return (row.startsGroup ? 64 : 40) + files + (row.dayAfter !== undefined ? 44 : 0) + (row.unreadAfter ? 32 : 0);
}

/**
 * The messages of one conversation, virtualized (@tanstack/react-virtual):
 * only the rows on screen exist in the DOM, whatever the history's length.
 * Anchored to the end like a chat: new messages follow when at the bottom,
 * older ones load above without moving what is on screen.
 */
export function MessageList({ conversation, title, selfUserId, selfDeviceId, showSenders, sentCount }: Props) {
  const client = useClient();
  const users = useRoost((s) => s.users);
  const visible = usePageAttended();
  const now = useNow(60_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The "new messages" line stays where it was when the conversation opened, even once it is marked read. It is
  // drawn only if the first unread message is loaded; with more unread than that, the list opens at the newest.
  const [unreadAfterSeq] = useState(() => {
    const oldest = conversation.timeline.messages[0]?.seq;
    return conversation.unreadCount > 0 && oldest !== undefined && oldest <= conversation.readSeq + 1
      ? conversation.readSeq
      : undefined;
  });
  const { messages } = conversation.timeline;
  const rows = useMemo(
    () => buildRows(messages, conversation.pending, { selfUserId, selfDeviceId, unreadAfterSeq }),
    [messages, conversation.pending, selfUserId, selfDeviceId, unreadAfterSeq],
  );

  const [atEnd, setAtEnd] = useState(true);
  const atEndRef = useRef(true);
  // Where the list is scrolled to, by row index; kept outside React state so scrolling re-renders nothing.
  const firstIndex = useRef<number | undefined>(undefined);
  const olderRequest = useRef<{ active: boolean; failedAt: number }>({ active: false, failedAt: 0 });
  // Until the opening scroll has landed, the range the virtualizer reports is its starting point (the top),
  // not where the person is: asking for older history from there would fetch a page on every open.
  const opened = useRef(false);
  const conversationId = conversation.id;

  // Open at the "new messages" line if there is one (just below the last message read), else at the newest message.
  // Decided from the rows at opening only; later rows never move the list by themselves.
  const [openAt] = useState<number | 'end'>(() => {
    if (rows[0]?.unreadBefore) return 0;
    const lastRead = rows.findIndex((r) => r.unreadAfter);
    return lastRead >= 0 ? lastRead : 'end';
  });

  /** Fetches older history when the rows on screen come near the top of what is loaded. */
  const loadOlderIfNear = useCallback(() => {
    const c = client.getState().conversations[conversationId];
    const request = olderRequest.current;
    const first = firstIndex.current;
    if (
      !opened.current ||
      !c ||
      first === undefined ||
      first > LOAD_OLDER_WITHIN_ROWS ||
      !c.hasOlder ||
      c.loadingOlder ||
      request.active
    )
      return;
    if (Date.now() - request.failedAt < 3000) return;
    request.active = true;
    client
      .loadOlder(conversationId)
      .catch(() => {
        request.failedAt = Date.now();
      })
      .finally(() => {
        request.active = false;
        // A fast scroll may already be at the top again: check once the page is on screen.
        setTimeout(loadOlderIfNear, 0);
      });
  }, [client, conversationId]);

  // useVirtualizer returns one mutable instance whose answers change without React knowing, so React Compiler would
  // skip this component. Nothing here memoizes what it returns (rows and callbacks only go in), so that is safe.
  // oxlint-disable-next-line react/incompatible-library -- known TanStack Virtual limitation; see above
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: useCallback((i: number) => estimateSize(rows[i]!), [rows]),
    getItemKey: useCallback((i: number) => rows[i]!.key, [rows]),
    overscan: 10,
    paddingStart: TOP_PADDING_PX,
    paddingEnd: 12,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: END_THRESHOLD_PX,
    directDomUpdates: true,
    onChange: (instance) => {
      const end = instance.isAtEnd(END_THRESHOLD_PX);
      if (end !== atEndRef.current) {
        atEndRef.current = end;
        // onChange can run while React commits; the state update waits for that to finish.
        queueMicrotask(() => setAtEnd(end));
      }
      firstIndex.current = instance.range?.startIndex;
      if (!opened.current) opened.current = openingLanded(instance.range, openAt, rows.length);
      loadOlderIfNear();
    },
  });

  useLayoutEffect(() => {
    if (openAt === 'end') virtualizer.scrollToEnd();
    else virtualizer.scrollToIndex(openAt, { align: 'start' });
  }, [openAt, virtualizer]);

  useLayoutEffect(() => {
    if (sentCount > 0) virtualizer.scrollToEnd();
  }, [sentCount, virtualizer]);

  useKeepAtEnd(
    scrollRef,
    useCallback(() => virtualizer.scrollToEnd(), [virtualizer]),
    END_THRESHOLD_PX,
  );

  // New rows or flags without a scroll (a short history does not scroll at all) may call for more.
  useEffect(loadOlderIfNear, [rows.length, conversation.hasOlder, conversation.loadingOlder, loadOlderIfNear]);

  // Anyone may delete their own messages for everyone; the hub's owner, on the desktop app that hosts it, any.
  const owner = useOwnerControls();
  const [deleting, setDeleting] = useState<MessageWire>();
  const askDelete = useCallback((message: MessageWire) => setDeleting(message), []);
  const retry = useCallback((id: string) => client.retrySend(id), [client]);
  const discard = useCallback((id: string) => void client.discardPending(id), [client]);
  // The picture viewer moves through every picture loaded in this conversation.
  const [viewing, setViewing] = useState<ImagePosition>();
  const openImage = useCallback((seq: number, index: number) => setViewing({ seq, index }), []);
  const images = useMemo(() => (viewing ? conversationImages(messages) : []), [viewing, messages]);

  useMarkRead(conversation.id, atEnd && visible, conversation.timeline.cursor, conversation.readSeq);

  const render = (row: Row, index: number) => {
    const item =
      row.kind === 'message' ? (
        <MessageItem
          message={row.message}
          own={row.own}
          startsGroup={row.startsGroup}
          senderName={userName(users, row.message.senderUserId)}
          showSender={showSenders && !row.own}
          {...ownStatus(row)}
          onDelete={row.own || owner ? askDelete : undefined}
          onOpenImage={openImage}
        />
      ) : (
        <PendingItem entry={row.entry} startsGroup={row.startsGroup} onRetry={retry} onDiscard={discard} />
      );
    // Above the first row only once nothing older is left to load, so prepending never changes a row's top.
    const atStart = index === 0 && !conversation.hasOlder;
    return (
      <>
        {atStart && <HistoryStart conversation={conversation} title={title} />}
        {atStart && row.dayBefore !== undefined && <DaySeparator time={row.dayBefore} now={now} />}
        {atStart && row.unreadBefore && <UnreadLine />}
        {item}
        {row.dayAfter !== undefined && <DaySeparator time={row.dayAfter} now={now} />}
        {row.unreadAfter && <UnreadLine />}
      </>
    );
  };

  const ownStatus = (row: Row & { kind: 'message' }) => {
    if (!row.own) return { status: undefined, statusText: undefined };
    const summary = ownMessageStatus(row.message.seq, conversation.receipts, conversation.memberUserIds, selfUserId);
    return { status: summary.status, statusText: describeStatus(summary.status, summary) };
  };

  return (
    <div className="message-pane">
      <DeleteMessageDialog
        message={deleting}
        own={deleting?.senderUserId === selfUserId}
        senderName={deleting ? userName(users, deleting.senderUserId) : ''}
        owner={owner}
        onClose={() => setDeleting(undefined)}
      />
      <ImageViewer
        conversationId={conversation.id}
        images={images}
        at={viewing}
        onMove={setViewing}
        onClose={() => setViewing(undefined)}
      />
      <div
        ref={scrollRef}
        className="message-scroller"
        tabIndex={0}
        role="region"
        aria-label="Chat history"
        data-testid="message-scroller"
      >
        {rows.length === 0 && <HistoryStart conversation={conversation} title={title} />}
        <div
          ref={virtualizer.containerRef}
          className="message-list"
          role="list"
          aria-busy={conversation.loadingOlder || conversation.syncing}
        >
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className="message-list__row"
              role="listitem"
            >
              {render(rows[item.index]!, item.index)}
            </div>
          ))}
        </div>
      </div>
      {conversation.loadingOlder && (
        <div className="loading-older" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading earlier messages…
        </div>
      )}
      {!atEnd && (
        <button
          type="button"
          className="jump-to-latest"
          onClick={() => virtualizer.scrollToEnd({ behavior: 'smooth' })}
          data-testid="jump-to-latest"
        >
          <Icon name="arrowDown" size={18} />
          <span>{conversation.unreadCount > 0 ? `${conversation.unreadCount} new` : 'Latest'}</span>
          <span className="sr-only"> – jump to the newest messages</span>
        </button>
      )}
    </div>
  );
}

function DaySeparator({ time, now }: { time: number; now: number }) {
  return (
    <div className="day-separator" data-testid="day-separator">
      <span>{formatDayLabel(time, now)}</span>
    </div>
  );
}

function UnreadLine() {
  return (
    <div className="unread-line" data-testid="unread-line">
      <span>New messages</span>
    </div>
  );
}

function HistoryStart({ conversation, title }: { conversation: ConversationState; title: string }) {
  if (conversation.timeline.messages.length === 0 && (conversation.syncing || conversation.hasOlder)) {
    return (
      <div className="history-start history-start--loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {conversation.timeline.messages.length === 0 ? 'Loading messages…' : 'Loading earlier messages…'}
      </div>
    );
  }
  return (
    <div className="history-start" data-testid="history-start">
      <p className="history-start__title">
        {conversation.kind === 'direct'
          ? `This is the start of your conversation with ${title}.`
          : `This is the start of ${title}.`}
      </p>
      <p className="history-start__hint">
        {conversation.kind === 'default'
          ? 'Everyone on this hub is here.'
          : conversation.kind === 'group'
            ? 'Only members see this room.'
            : 'Only the two of you see these messages.'}
      </p>
    </div>
  );
}

/** Whether the rows on screen include the one the list opens at (true at once for a list too short to scroll). */
function openingLanded(
  range: { startIndex: number; endIndex: number } | null | undefined,
  openAt: number | 'end',
  rowCount: number,
): boolean {
  if (!range) return false;
  const target = openAt === 'end' ? rowCount - 1 : openAt;
  return target >= range.startIndex && target <= range.endIndex;
}
