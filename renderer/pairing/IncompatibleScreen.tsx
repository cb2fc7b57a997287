import type { Session } from '../../shared/sync';
import { OnboardingPage } from './OnboardingPage';

type Incompatible = Extract<Session, { phase: 'incompatible' }>;

/** The hub speaks another protocol version: nothing works until one side is updated. */
export function IncompatibleScreen({ session }: { session: Incompatible }) {
  const hubIsNewer = session.reason === 'CLIENT_TOO_OLD';
  return (
    <OnboardingPage titleId="incompatible-title" testId="incompatible-screen">
      <div>
        <h1 id="incompatible-title" className="onboarding__title">
          {hubIsNewer ? 'This app is out of date' : 'The hub is out of date'}
        </h1>
        <p className="onboarding__lead">
          {hubIsNewer
            ? 'The hub runs a newer version of Roost. Reload to get the current version of this app.'
            : 'The hub runs an older version of Roost than this app. Ask whoever runs the hub to update it.'}
          {session.hubProtocol !== undefined && ` (Hub protocol ${session.hubProtocol}.)`}
        </p>
      </div>
      {hubIsNewer && (
        <button type="button" className="button button--primary button--block" onClick={() => location.reload()}>
          Reload
        </button>
      )}
    </OnboardingPage>
  );
}
