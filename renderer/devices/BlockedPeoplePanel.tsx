import { useRoost } from '../app/useRoost';
import { useUnblock } from '../conversations/useUnblock';
import { Avatar } from '../ui/Avatar';
import { FormError } from '../ui/FormError';
import { PanelHeader } from '../ui/PanelHeader';

/** The people the user blocks, on all their devices (PROTOCOL.md 11.7), each with a way back. */
export function BlockedPeoplePanel() {
  const blockedUserIds = useRoost((s) => s.blockedUserIds);
  const users = useRoost((s) => s.users);
  const { unblock, busyId, error } = useUnblock();

  return (
    <section className="link-panel" aria-labelledby="blocked-panel-title" data-testid="blocked-people">
      <PanelHeader icon="block" titleId="blocked-panel-title" title="Blocked people">
        <p className="link-panel__text">
          {blockedUserIds.length === 0
            ? 'Nobody. To block someone, open your conversation with them and choose Block.'
            : 'Their messages are hidden from you, and they cannot start a conversation with you or add you to a room.'}
        </p>
      </PanelHeader>
      {blockedUserIds.length > 0 && (
        <ul className="blocked-list" aria-label="Blocked people">
          {blockedUserIds.map((id) => {
            const name = users[id]?.displayName ?? 'Someone no longer on this hub';
            return (
              <li key={id} className="blocked-list__item" data-testid="blocked-person" data-user-id={id}>
                <Avatar id={id} name={name} size="small" />
                <span className="blocked-list__name">{name}</span>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => unblock(id)}
                  disabled={busyId === id}
                  aria-label={`Unblock ${name}`}
                >
                  Unblock
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {error && <FormError error={error} />}
    </section>
  );
}
