import { useState } from 'react';
import type { DiscoveredHub } from '../../shared/desktop';
import { formatIdentity } from '../../shared/protocol';
import type { DesktopBridge } from '../hub/desktopBridge';
import type { HubAddress } from '../hub/hubAddress';
import { HubAddressForm } from '../pairing/HubAddressForm';
import { FormError } from '../ui/FormError';
import { DiscoveredHubList } from './DiscoveredHubList';
import { DiscoveryHelp } from './DiscoveryHelp';
import { discoveredHubLabel, discoveredHubWsUrl } from './hubSetup';
import { useDiscoveredHubs } from './useDiscoveredHubs';
import './JoinSection.css';

/** A hub about to be joined, with the identity this app will pin: shown to compare before anything is pinned. */
type Candidate = { wsUrl: string; identity: string; name: string; label: string };

type Props = { bridge: DesktopBridge; onChooseJoin: (wsUrl: string, identity: string) => Promise<void> };

/**
 * Joining a hub on the network: pick a found one or type its address, then compare its identity with the hub's
 * own screen before joining. The app pins that identity and will not talk to anything else at that address
 * (docs/THREAT-MODEL.md: a hub picked here is trusted on first use).
 */
export function JoinSection({ bridge, onChooseJoin }: Props) {
  const hubs = useDiscoveredHubs(bridge);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [candidate, setCandidate] = useState<Candidate>();

  const run = async (work: () => Promise<void>, failure: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(`${failure}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const pickDiscovered = (hub: DiscoveredHub) => {
    const wsUrl = discoveredHubWsUrl(hub);
    if (wsUrl) setCandidate({ wsUrl, identity: hub.identity, name: hub.name, label: discoveredHubLabel(hub) });
  };
  const pickTyped = (address: HubAddress) =>
    run(async () => {
      const seen = await bridge.inspectHub(address.wsUrl);
      setCandidate({ wsUrl: seen.wsUrl, identity: seen.identity, name: seen.name, label: address.label });
    }, 'Could not reach that hub');

  if (candidate) {
    return (
      <section className="first-run__section" aria-labelledby="confirm-hub-title" data-testid="confirm-hub">
        <h2 id="confirm-hub-title" className="first-run__heading">
          Join “{candidate.name}” at {candidate.label}?
        </h2>
        <p>
          Check that this is your hub: its identity below must match the one on the hub’s own screen (This hub, or where
          the hub was started). From now on this app talks only to a hub with this identity.
        </p>
        <dl className="hub-identity">
          <dt className="invite__label">Identity</dt>
          <dd>
            <code data-testid="candidate-identity">{formatIdentity(candidate.identity)}</code>
          </dd>
        </dl>
        <FormError error={error} />
        <div className="join-confirm__actions">
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            data-testid="confirm-join"
            onClick={() => void run(() => onChooseJoin(candidate.wsUrl, candidate.identity), 'Could not use that hub')}
          >
            {busy ? 'Joining…' : 'They match: join'}
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => setCandidate(undefined)}>
            Back
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="first-run__section" aria-labelledby="found-hubs-title">
      <h2 id="found-hubs-title" className="first-run__heading">
        Hubs on this network
      </h2>
      <DiscoveredHubList hubs={hubs} busy={busy} onJoin={pickDiscovered} />
      <FormError error={error} />
      {(!hubs || hubs.length === 0) && <DiscoveryHelp />}
      <h2 className="first-run__heading first-run__heading--or">Or type its address</h2>
      <HubAddressForm quiet submitLabel="Find this hub" onChoose={pickTyped} />
    </section>
  );
}
