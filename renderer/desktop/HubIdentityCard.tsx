import type { HostingStatus } from '../../shared/desktop';
import { formatIdentity } from '../../shared/protocol';
import { PanelHeader } from '../ui/PanelHeader';

type Running = Extract<HostingStatus, { state: 'running' }>;

/**
 * What people compare to know they reached this hub: the identity the Roost apps show, and the public
 * key's SHA-256 as a browser's certificate viewer shows it ("Public Key SHA-256", under the certificate's
 * details behind the warning a self-signed certificate brings).
 */
export function HubIdentityCard({ status }: { status: Running }) {
  return (
    <section className="link-panel" aria-labelledby="hub-identity-title" data-testid="hub-identity-card">
      <PanelHeader icon="key" titleId="hub-identity-title" title="This hub's identity">
        <p className="link-panel__text">
          When a Roost app asks, its identity must match this one. In a browser, open the certificate's details from the
          warning and compare its Public Key SHA-256 with the fingerprint below; if either differs, stop.
        </p>
      </PanelHeader>
      <dl className="hub-identity">
        <dt className="invite__label">Identity</dt>
        <dd>
          <code data-testid="hub-identity">{formatIdentity(status.identity)}</code>
        </dd>
        <dt className="invite__label">Public key SHA-256 (browsers)</dt>
        <dd>
          <code data-testid="hub-fingerprint">{status.publicKeyFingerprint}</code>
        </dd>
      </dl>
    </section>
  );
}
