import { useMemo, useState } from 'react';
import { useClient } from '../app/useClient';
import { usePresenceKnown } from '../app/usePresenceKnown';
import { useRoost } from '../app/useRoost';
import { Avatar } from '../ui/Avatar';
import { otherUsers } from './conversationSummaries';

/** Everyone on the hub with their presence; choosing someone opens the direct conversation with them. */
export function PeopleList({ onOpenConversation }: { onOpenConversation: (id: string) => void }) {
  const client = useClient();
  const users = useRoost((s) => s.users);
  const self = useRoost((s) => s.self);
  const blockedUserIds = useRoost((s) => s.blockedUserIds);
  const connected = usePresenceKnown();
  const [opening, setOpening] = useState<string>();
  const [error, setError] = useState<string>();
  // Recomputed only when users or self changed.
  const people = useMemo(() => otherUsers({ users, self }), [users, self]);
  const online = people.filter((p) => p.online).length;

  const open = async (userId: string) => {
    // An existing direct conversation opens without asking the hub, so it works offline too.
    const state = client.getState();
    const existing = Object.values(state.conversations).find(
      (c) => c.kind === 'direct' && c.memberUserIds.includes(userId),
    );
    if (existing) return onOpenConversation(existing.id);
    setOpening(userId);
    setError(undefined);
    try {
      onOpenConversation((await client.openDirect(userId)).id);
    } catch (err) {
      setError(
        connected
          ? `Could not open the conversation: ${err instanceof Error ? err.message : String(err)}`
          : 'You are offline. A new conversation can be started once the hub is back.',
      );
    } finally {
      setOpening(undefined);
    }
  };

  return (
    <section className="people" aria-labelledby="people-heading">
      <div className="sidebar__section-header">
        <h2 className="sidebar__heading" id="people-heading">
          People
        </h2>
        {connected && (
          <span className="sidebar__count" data-testid="online-count">
            {online} online
          </span>
        )}
      </div>
      {people.length === 0 ? (
        <p className="people__empty">
          Nobody else is here yet. Share the hub’s address and pairing code to invite people.
        </p>
      ) : (
        <ul className="people__list" aria-labelledby="people-heading">
          {people.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="person"
                onClick={() => void open(p.id)}
                disabled={opening === p.id}
                data-testid="person-item"
                data-user-id={p.id}
                data-online={connected ? p.online : undefined}
                data-blocked={blockedUserIds.includes(p.id) || undefined}
              >
                <Avatar id={p.id} name={p.displayName} size="small" online={connected ? p.online : undefined} />
                <span className="person__name">{p.displayName}</span>
                {blockedUserIds.includes(p.id) ? (
                  <span className="person__status">Blocked</span>
                ) : (
                  connected && (
                    <span className={`person__status${p.online ? ' person__status--online' : ''}`}>
                      {p.online ? 'Online' : 'Offline'}
                    </span>
                  )
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error people__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
