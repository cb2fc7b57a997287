import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { ConversationItem } from './ConversationItem';
import type { ConversationSummary } from './conversationSummaries';

/** A row's height before it is measured: avatar and two lines of text. */
const ROW_ESTIMATE_PX = 62;

type Props = {
  summaries: readonly ConversationSummary[];
  /** The sidebar, which scrolls this list together with what is above and below it. */
  scroller: HTMLElement | null;
  selectedId: string | undefined;
  now: number;
  presenceKnown: boolean;
  onOpen: (id: string) => void;
};

/**
 * The conversations, virtualized (@tanstack/react-virtual) as the message list is: only the rows
 * in view exist in the DOM. Someone added to thousands of rooms (issue 13, finding 7) would
 * otherwise get thousands of rows, each drawn again whenever any conversation changes.
 */
export function ConversationRows({ summaries, scroller, selectedId, now, presenceKnown, onOpen }: Props) {
  const listRef = useRef<HTMLUListElement>(null);
  // Where the list starts inside the sidebar (below its heading): the rows are placed from there.
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || !scroller) return;
    setScrollMargin(list.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop);
  }, [scroller]);

  // useVirtualizer returns one mutable instance whose answers change without React knowing, so React Compiler
  // would skip this component; nothing here memoizes what it returns, so that is safe (as in MessageList).
  // oxlint-disable-next-line react/incompatible-library -- known TanStack Virtual limitation; see above
  const virtualizer = useVirtualizer({
    count: summaries.length,
    getScrollElement: () => scroller,
    estimateSize: () => ROW_ESTIMATE_PX,
    getItemKey: useCallback((i: number) => summaries[i]!.id, [summaries]),
    overscan: 6,
    scrollMargin,
  });

  return (
    <ul
      ref={listRef}
      className="conversation-list conversation-list--virtual"
      aria-labelledby="conversations-heading"
      data-testid="conversation-list"
      style={{ height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((row) => (
        <ConversationItem
          key={row.key}
          ref={virtualizer.measureElement}
          index={row.index}
          setSize={summaries.length}
          offset={row.start - scrollMargin}
          summary={summaries[row.index]!}
          selected={summaries[row.index]!.id === selectedId}
          now={now}
          presenceKnown={presenceKnown}
          onOpen={onOpen}
        />
      ))}
    </ul>
  );
}
