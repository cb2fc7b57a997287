import { useState } from 'react';
import type { HubTrust } from '../../shared/desktop';
import { formatIdentity } from '../../shared/protocol';
import type { DesktopBridge } from '../hub/desktopBridge';
import { OnboardingPage } from '../pairing/OnboardingPage';
import { FormError } from '../ui/FormError';
import { useBridgeValue } from './useBridgeValue';
import './desktop.css';

type Refused = Extract<HubTrust, { state: 'refused' }>;

/** The pin check's refusal of the joined hub (HUB_IDENTITY_CHANGED, HUB_IDENTITY_UNPROVEN); undefined if none. */
export function useHubTrustRefusal(bridge: DesktopBridge): Refused | undefined {
  const trust = useBridgeValue(bridge, 'hubTrust', () => bridge.hubTrust());
  return trust?.state === 'refused' ? trust : undefined;
}

type Props = { bridge: DesktopBridge; refusal: Refused; onForgotten: () => void };

/**
 * Like SSH's "host identification has changed": the hub at the joined address is not the one this app paired
 * with. Nothing connects until the person forgets the hub and pairs again (never re-pinned by itself); both
 * identities are shown to compare with what the hub's owner sees on This hub.
 */
export function HubIdentityChangedScreen({ bridge, refusal, onForgotten }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const forget = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await bridge.resetSetup();
      onForgotten();
    } catch (err) {
      setError(`Could not forget the hub: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };
  const changed = refusal.code === 'HUB_IDENTITY_CHANGED';
  return (
    <OnboardingPage
      titleId="hub-identity-changed-title"
      testId="hub-identity-changed"
      data={{ 'data-code': refusal.code }}
    >
      <div>
        <h1 id="hub-identity-changed-title" className="onboarding__title">
          {changed ? 'This hub’s identity has changed' : 'This hub did not prove its identity'}
        </h1>
        <p className="onboarding__lead" role="alert">
          {refusal.message}
        </p>
      </div>
      <dl className="hub-identity">
        <dt className="invite__label">Paired with</dt>
        <dd>
          <code data-testid="pinned-identity">{formatIdentity(refusal.pinned)}</code>
        </dd>
        {refusal.presented && (
          <>
            <dt className="invite__label">Shown now</dt>
            <dd>
              <code data-testid="presented-identity">{formatIdentity(refusal.presented)}</code>
            </dd>
          </>
        )}
      </dl>
      <p className="onboarding__lead">
        Ask the hub’s owner which identity their This hub screen shows. Pair again only if it is the one shown now.
      </p>
      <FormError error={error} />
      <div className="onboarding__footer">
        <span />
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void forget()}
          data-testid="forget-hub"
        >
          {busy ? 'Forgetting…' : 'Forget this hub and pair again'}
        </button>
      </div>
    </OnboardingPage>
  );
}
