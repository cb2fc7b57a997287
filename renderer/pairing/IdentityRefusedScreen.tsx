import type { Session } from '../../shared/sync';
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
      {onChangeHub && (
        <button type="button" className="button button--block" onClick={onChangeHub}>
          Use another hub
        </button>
      )}
    </OnboardingPage>
  );
}
