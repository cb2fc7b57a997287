import type { HostingConfig } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { OnboardingPage } from '../pairing/OnboardingPage';
import { HostHubForm } from './HostHubForm';
import { hostingErrorText } from './hubSetup';
import { useHostingStatus } from './useHostingStatus';
import './desktop.css';

type Props = { bridge: DesktopBridge; config: HostingConfig; onChangeHub: () => void };

/**
 * This computer should host the hub, but it is not running: say why, and offer to start it (perhaps on another port).
 */
export function HubUnavailableScreen({ bridge, config, onChangeHub }: Props) {
  const status = useHostingStatus(bridge);
  const starting = status === undefined || status.state === 'starting' || status.state === 'running';
  return (
    <OnboardingPage
      titleId="hub-down-title"
      testId="hub-unavailable-screen"
      data={{ 'data-state': status?.state ?? 'loading' }}
    >
      <div>
        <h1 id="hub-down-title" className="onboarding__title">
          {starting ? 'Starting your hub…' : 'Your hub is not running'}
        </h1>
        <p className="onboarding__lead">
          {status?.state === 'error'
            ? hostingErrorText(status, config.port)
            : starting
              ? 'This takes a moment.'
              : 'This computer hosts the hub for your network. Start it so everyone can chat again.'}
        </p>
      </div>
      {!starting && (
        <HostHubForm
          initial={config}
          submitLabel="Start the hub"
          busyLabel="Starting…"
          testId="restart-form"
          onSubmit={async (next) => {
            const result = await bridge.startHosting(next);
            return result.state === 'error' ? hostingErrorText(result, next.port) : undefined;
          }}
        />
      )}
      <div className="onboarding__footer">
        <span />
        <button type="button" className="link-button" onClick={onChangeHub}>
          Join another hub instead
        </button>
      </div>
    </OnboardingPage>
  );
}
