import { useState } from 'react';
import type { Session } from '../../shared/sync';
import { useClient } from '../app/useClient';
import { OnboardingPage } from './OnboardingPage';

type IdentityRefused = Extract<Session, { phase: 'identityRefused' }>;

/**
 * The hub did not prove the identity this device paired with. Like SSH's "host identification has
 * changed": never accepted silently; the person checks with the hub's owner, then pairs again.
 */
export function IdentityRefusedScreen({
  session,
  onChangeHub,
}: {
  session: IdentityRefused;
  onChangeHub?: () => void;
}) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const changed = session.reason === 'HUB_IDENTITY_CHANGED';
  return (
    <OnboardingPage titleId="identity-refused-title" testId="identity-refused-screen">
      <div>
        <h1 id="identity-refused-title" className="onboarding__title">
          {changed ? "The hub's identity has changed" : 'The hub did not prove who it is'}
        </h1>
        <p className="onboarding__lead">
          {changed
            ? 'The hub at this address has a different identity than the one this device paired with. Someone on ' +
              'the network may be pretending to be your hub, or its owner gave it a new identity.'
            : 'Something answered at the hub’s address without proving the identity this device paired with.'}{' '}
          Nothing was sent to it. Ask the hub’s owner whether the identity changed; if it did, pair this device again.
        </p>
      </div>
      {changed && !confirming && (
        <button type="button" className="button button--block" onClick={() => setConfirming(true)}>
          Pair this device again…
        </button>
      )}
      {changed && confirming && (
        <div role="group" aria-label="Pair again">
          <p>
            Only if the hub’s owner confirmed that the hub has a new identity: this device forgets its account on this
            hub, then pairs with a new code or join link. Compare the identity the hub shows with the one its owner
            reads out.
          </p>
          <button
            type="button"
            className="button button--danger button--block"
            data-testid="pair-again"
            onClick={() => void client.pairAgain()}
          >
            Forget and pair again
          </button>
          <button type="button" className="button button--ghost button--block" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {onChangeHub && (
        <button type="button" className="button button--block" onClick={onChangeHub}>
          Use another hub
        </button>
      )}
    </OnboardingPage>
  );
}
