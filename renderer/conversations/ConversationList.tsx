import { useMemo, useState } from 'react';
import { useNow } from '../app/useNow';
import { usePresenceKnown } from '../app/usePresenceKnown';
import { useRoost } from '../app/useRoost';
import { Icon } from '../ui/Icon';
import { ConversationRows } from './ConversationRows';
import { conversationSummaries } from './conversationSummaries';
import { NewRoomDialog } from './NewRoomDialog';
import { PeopleList } from './PeopleList';
import './ConversationList.css';

type Props = { selectedId: string | undefined; onOpen: (id: string) => void };

/** The sidebar: conversations with unread counts and last message, then everyone else with their presence. */
export function ConversationList({ selectedId, onOpen }: Props) {
  const conversations = useRoost((s) => s.conversations);
  const users = useRoost((s) => s.users);
  const self = useRoost((s) => s.self);
  const blockedUserIds = useRoost((s) => s.blockedUserIds);
  const now = useNow(60_000);
  const presenceKnown = usePresenceKnown();
  const [creating, setCreating] = useState(false);
  // State, not a ref: the rows' virtualizer needs the element, and a ref is set after the rows' first layout.
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  // Recomputed only when one of the parts it reads changed (not on connection status changes).
  const summaries = useMemo(
    () => conversationSummaries({ conversations, users, self, blockedUserIds }),
    [conversations, users, self, blockedUserIds],
  );

  return (
    <div className="sidebar" ref={setScroller}>
      <div className="sidebar__section-header">
        <h2 className="sidebar__heading" id="conversations-heading">
          Conversations
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="New room"
          title="New room"
          onClick={() => setCreating(true)}
          data-testid="new-room-button"
        >
          <Icon name="plus" />
        </button>
      </div>
      <ConversationRows
        summaries={summaries}
        scroller={scroller}
        selectedId={selectedId}
        now={now}
        presenceKnown={presenceKnown}
        onOpen={onOpen}
      />
      <PeopleList onOpenConversation={onOpen} />
      <NewRoomDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => (setCreating(false), onOpen(id))}
      />
    </div>
  );
}
