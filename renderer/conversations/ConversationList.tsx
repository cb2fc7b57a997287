import { useMemo, useState } from 'react';
import { useNow } from '../app/useNow';
import { usePresenceKnown } from '../app/usePresenceKnown';
import { useRoost } from '../app/useRoost';
import { Icon } from '../ui/Icon';
import { ConversationItem } from './ConversationItem';
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
  const now = useNow(60_000);
  const presenceKnown = usePresenceKnown();
  const [creating, setCreating] = useState(false);
  // Recomputed only when one of the parts it reads changed (not on connection status changes).
  const summaries = useMemo(() => conversationSummaries({ conversations, users, self }), [conversations, users, self]);

  return (
    <div className="sidebar">
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
      <ul className="conversation-list" aria-labelledby="conversations-heading" data-testid="conversation-list">
        {summaries.map((s) => (
          <ConversationItem
            key={s.id}
            summary={s}
            selected={s.id === selectedId}
            now={now}
            presenceKnown={presenceKnown}
            onOpen={onOpen}
          />
        ))}
      </ul>
      <PeopleList onOpenConversation={onOpen} />
      <NewRoomDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => (setCreating(false), onOpen(id))}
      />
    </div>
  );
}
