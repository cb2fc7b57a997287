import type { HostingConfig } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { AuditLogCard } from './AuditLogCard';
import { ConnectedDevicesCard } from './ConnectedDevicesCard';
import { FailedPairingsCard } from './FailedPairingsCard';
import { HubIdentityCard } from './HubIdentityCard';
import { HubSettingsCard } from './HubSettingsCard';
import { hostingErrorText } from './hubSetup';
import { InviteCard } from './InviteCard';
import { PeopleCard } from './PeopleCard';
import { useHostingStatus } from './useHostingStatus';
import '../devices/DevicesScreen.css';
import './desktop.css';
import { BackButton } from '../ui/BackButton';

type Props = { bridge: DesktopBridge; config: HostingConfig; onBack: () => void };

/** "This hub": the hub this computer hosts. How to invite people, who is connected, its settings; live. */
export function HostingPanel({ bridge, config, onBack }: Props) {
  const status = useHostingStatus(bridge);
  const subtitle =
    status?.state === 'running'
      ? `${status.name} · running on port ${status.port}`
      : status?.state === 'starting'
        ? 'Starting…'
        : status?.state === 'error'
          ? 'Not running'
          : status?.state === 'off'
            ? 'Stopped'
            : '';

  return (
    <section
      className="devices"
      aria-labelledby="hosting-title"
      data-testid="hosting-panel"
      data-state={status?.state ?? 'loading'}
    >
      <header className="pane-header">
        <BackButton onBack={onBack} />
        <div className="pane-header__text">
          <h1 id="hosting-title" className="pane-header__title">
            This hub
          </h1>
          <p className="pane-header__subtitle" data-testid="hosting-subtitle">
            {subtitle}
          </p>
        </div>
      </header>
      <div className="devices__content">
        {status?.state === 'running' && (
          <>
            <InviteCard bridge={bridge} status={status} />
            <HubIdentityCard status={status} />
            <ConnectedDevicesCard devices={status.connected} />
            <PeopleCard bridge={bridge} />
            <FailedPairingsCard failures={status.pairing.recentFailures} />
            <AuditLogCard bridge={bridge} status={status} />
          </>
        )}
        {status?.state === 'off' && (
          <p className="notice">The hub is stopped: nobody can send or receive messages until it runs again.</p>
        )}
        {status?.state === 'error' && (
          <p className="notice" role="alert" data-testid="hosting-error">
            {hostingErrorText(status, config.port)}
          </p>
        )}
        {status && <HubSettingsCard bridge={bridge} status={status} config={config} />}
      </div>
    </section>
  );
}
