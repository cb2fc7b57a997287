import { useState } from 'react';
import type { OperatorDevice, OperatorUser } from '../../shared/desktop';
import { useNow } from '../app/useNow';
import { useRoost } from '../app/useRoost';
import { platformIcon, platformLabel } from '../devices/deviceLabels';
import { keyMigrationText } from './pairingLabels';
import type { DesktopBridge } from '../hub/desktopBridge';
import { Avatar } from '../ui/Avatar';
import { Icon } from '../ui/Icon';
import { formatAgo } from '../ui/time';
import { RemoveAnyDeviceDialog, RemoveUserDialog } from './OwnerRemoveDialogs';
import { useBridgeValue } from './useBridgeValue';

/**
 * Everyone on this hub and their devices, for its owner: remove any device, or a person with all of theirs.
 * Live (the `people` event): pairings, connections, and removals made from the CLI show at once.
 */
export function PeopleCard({ bridge }: { bridge: DesktopBridge }) {
  const people = useBridgeValue(bridge, 'people', () => bridge.people()) ?? [];
  const self = useRoost((s) => s.self);
  const now = useNow(60_000);
  const [device, setDevice] = useState<OperatorDevice>();
  const [user, setUser] = useState<OperatorUser>();
  const active = people.filter((u) => u.removedAt === undefined);
  const removed = people.filter((u) => u.removedAt !== undefined);

  return (
    <section className="hosting-section" aria-labelledby="people-title">
      <h2 id="people-title" className="hosting-section__title">
        People and devices <span className="badge badge--quiet">{active.length}</span>
      </h2>
      {active.length === 0 ? (
        <p className="hosting-section__empty">Nobody has paired yet.</p>
      ) : (
        <ul className="hub-people" aria-label="People on this hub" data-testid="hub-people">
          {active.map((u) => {
            const isSelf = u.id === self?.userId;
            return (
              <li key={u.id} className="hub-people__person" data-testid="hub-person" data-user-id={u.id}>
                <div className="hub-people__header">
                  <Avatar id={u.id} name={u.displayName} size="small" online={u.online} />
                  <span className="hub-people__name">{u.displayName}</span>
                  {isSelf && <span className="tag">You</span>}
                  {!isSelf && (
                    <button
                      type="button"
                      className="button button--danger-quiet button--small hub-people__remove"
                      onClick={() => setUser(u)}
                      aria-label={`Remove ${u.displayName} from this hub`}
                      data-testid="remove-user"
                    >
                      <Icon name="block" size={16} />
                      <span className="device__action-label">Remove person</span>
                    </button>
                  )}
                </div>
                <ul className="device-list" aria-label={`Devices of ${u.displayName}`}>
                  {u.devices.map((d) => {
                    const isThis = d.id === self?.deviceId;
                    return (
                      <li key={d.id} className="device" data-testid="hub-device" data-device-id={d.id}>
                        <span className="device__icon" aria-hidden="true">
                          <Icon name={platformIcon(d.platform)} size={22} />
                          <span className={`presence-dot${d.connections > 0 ? ' presence-dot--online' : ''}`} />
                        </span>
                        <div className="device__main">
                          <div className="device__title">
                            <span className="device__name">{d.name}</span>
                            {isThis && <span className="tag">This device</span>}
                          </div>
                          <p className="device__meta">
                            <span className={d.connections > 0 ? 'device__online' : undefined}>
                              {d.connections > 0 ? 'Online' : `Last seen ${formatAgo(d.lastSeenAt, now)}`}
                            </span>
                            <span aria-hidden="true"> · </span>
                            <span>{platformLabel(d.platform)}</span>
                          </p>
                          {d.keyMigrationUntil !== undefined && (
                            <p className="device__meta device__warning" data-testid="device-not-migrated">
                              {keyMigrationText(d.keyMigrationUntil, now)}
                            </p>
                          )}
                        </div>
                        {!isThis && (
                          <div className="device__actions">
                            <button
                              type="button"
                              className="button button--danger-quiet button--small"
                              onClick={() => setDevice(d)}
                              aria-label={`Remove ${d.name} of ${u.displayName}`}
                              data-testid="remove-any-device"
                            >
                              <Icon name="trash" size={16} />
                              <span className="device__action-label">Remove</span>
                            </button>
                          </div>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
      {removed.length > 0 && (
        <p className="hub-people__removed" data-testid="removed-people">
          Removed: {removed.map((u) => u.displayName).join(', ')}. Their messages stay, shown as from a removed user.
        </p>
      )}
      <RemoveAnyDeviceDialog bridge={bridge} device={device} onClose={() => setDevice(undefined)} />
      <RemoveUserDialog bridge={bridge} user={user} onClose={() => setUser(undefined)} />
    </section>
  );
}
