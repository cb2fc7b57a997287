import { useState } from 'react';
import type { HostingConfig, HostingStatus, OwnerCertificate } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { FormError } from '../ui/FormError';
import { Icon } from '../ui/Icon';
import { HostHubForm } from './HostHubForm';
import { hostingErrorText } from './hubSetup';
import { OwnerCertificateForm } from './OwnerCertificateForm';
import './JoinSection.css';

type Props = { bridge: DesktopBridge; status: HostingStatus; config: HostingConfig };

/** Whether the hub is visible on the network, its name, port and certificate, and start/stop. */
export function HubSettingsCard({ bridge, status, config }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const running = status.state === 'running';
  const current = running ? { name: status.name, port: status.port } : config;

  // The name and port form knows nothing of the certificate: it keeps the one configured.
  const start = async (next: HostingConfig): Promise<string | undefined> => {
    const result = await bridge.startHosting({ certificate: config.certificate, ...next });
    return result.state === 'error' ? hostingErrorText(result, next.port) : undefined;
  };
  const applyCertificate = (certificate: OwnerCertificate | undefined) => start({ ...current, certificate });

  const toggle = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (running) await bridge.stopHosting();
      else setError(await start(config));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="hosting-section" aria-labelledby="hub-settings-title">
      <h2 id="hub-settings-title" className="hosting-section__title">
        Network and settings
      </h2>
      <div className="link-panel hosting-settings">
        {running && (
          <p
            className="hosting-settings__advertised"
            data-testid="hosting-advertised"
            data-advertised={status.advertised}
          >
            <Icon name={status.advertised ? 'broadcast' : 'alert'} size={18} />
            <span>
              {status.advertised
                ? 'Announced on this network: other Roost apps find it by themselves.'
                : 'Not announced on this network (mDNS unavailable). ' +
                  'Others can still join with an address or the QR code.'}
            </span>
          </p>
        )}
        <HostHubForm
          key={`${current.name}:${current.port}`}
          initial={current}
          // A new name is applied in place; a new port restarts the hub.
          submitLabel={running ? 'Save' : 'Save and start'}
          busyLabel="Saving…"
          testId="hub-settings"
          onSubmit={start}
        />
        <FormError error={error} />
        <OwnerCertificateForm
          key={JSON.stringify(config.certificate)}
          current={config.certificate}
          onApply={applyCertificate}
        />
        <button
          type="button"
          className={`button ${running ? 'button--danger-quiet' : 'button--secondary'}`}
          onClick={() => void toggle()}
          disabled={busy || status.state === 'starting'}
          data-testid="hosting-toggle"
        >
          <Icon name="power" size={18} />
          {running ? 'Stop the hub' : 'Start the hub'}
        </button>
      </div>
    </section>
  );
}
