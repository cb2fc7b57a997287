import type { DiscoveredHub } from '../../shared/desktop';
import { formatIdentity } from '../../shared/protocol';
import { Icon } from '../ui/Icon';
import { discoveredHubLabel, discoveredHubWsUrl, incompatibleHubText } from './hubSetup';

type Props = {
  hubs: readonly DiscoveredHub[] | undefined;
  onJoin: (hub: DiscoveredHub) => void;
  busy: boolean;
};

/**
 * Hubs found on this network, live, each with the identity it proved (one hub id proving two identities is listed
 * twice). Hubs this app cannot talk to are shown, disabled, with why.
 */
export function DiscoveredHubList({ hubs, onJoin, busy }: Props) {
  if (!hubs || hubs.length === 0) {
    return (
      <p className="hub-list__empty" role="status" data-testid="discovered-hubs-empty">
        <Icon name="search" size={18} />
        <span>{hubs ? 'Looking for hubs on this network…' : 'Starting the search…'}</span>
      </p>
    );
  }
  return (
    <ul className="hub-list" aria-label="Hubs on this network" data-testid="discovered-hubs">
      {hubs.map((hub) => {
        const problem = incompatibleHubText(hub);
        const wsUrl = discoveredHubWsUrl(hub);
        return (
          <li key={`${hub.hubId} ${hub.identity}`}>
            <button
              type="button"
              className="hub-list__item"
              disabled={busy || !!problem || !wsUrl}
              onClick={() => onJoin(hub)}
              data-testid="discovered-hub"
              data-hub-id={hub.hubId}
              aria-describedby={problem ? `hub-problem-${hub.hubId}` : undefined}
            >
              <span className="hub-list__icon" aria-hidden="true">
                <Icon name="broadcast" size={20} />
              </span>
              <span className="hub-list__text">
                <span className="hub-list__name">{hub.name}</span>
                <span className="hub-list__address">{discoveredHubLabel(hub)}</span>
                <span className="hub-list__address">Identity {formatIdentity(hub.identity).slice(0, 14)}…</span>
                {problem && (
                  <span id={`hub-problem-${hub.hubId}`} className="hub-list__problem">
                    {problem}
                  </span>
                )}
              </span>
              {!problem && <span className="hub-list__join">Join</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
