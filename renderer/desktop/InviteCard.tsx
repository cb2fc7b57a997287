import { useState } from 'react';
import type { HostingStatus } from '../../shared/desktop';
import { Icon } from '../ui/Icon';
import { formatClock } from '../ui/time';
import type { DesktopBridge } from '../hub/desktopBridge';
import { JoinQrCode } from './JoinQrCode';
import { PairingCodeBox } from './PairingCodeBox';
import { PanelHeader } from '../ui/PanelHeader';

type Running = Extract<HostingStatus, { state: 'running' }>;

/** How people join: scan the QR code (phones), or open an address and type the pairing code while pairing is open. */
export function InviteCard({ bridge, status }: { bridge: DesktopBridge; status: Running }) {
  return (
    <section className="link-panel invite" aria-labelledby="invite-title" data-testid="invite-card">
      <PanelHeader icon="userPlus" titleId="invite-title" title="Invite people">
        <p className="link-panel__text">
          Phones: scan the code with the camera. Other computers: open an address below and enter the pairing code (open
          pairing first: codes work only while it is open).
        </p>
      </PanelHeader>
      <div className="invite__body">
        <figure className="invite__qr">
          <JoinQrCode url={status.joinUrl} />
          <figcaption className="link-panel__expiry">
            Joins once · until {formatClock(status.joinUrlExpiresAt)}
          </figcaption>
        </figure>
        <div className="invite__details">
          <PairingCodeBox bridge={bridge} pairing={status.pairing} />
          <div className="invite__link">
            <span className="invite__label">Join link</span>
            <CopyableText text={status.joinUrl} testId="hosting-join-url" />
          </div>
          <div className="invite__link">
            <span className="invite__label">Addresses</span>
            <ul className="invite__urls" data-testid="hosting-urls">
              {status.urls.map((url) => (
                <li key={url}>
                  <code>{url}</code>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </div>
    </section>
  );
}

function CopyableText({ text, testId }: { text: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="copyable">
      <code className="copyable__text" data-testid={testId}>
        {text}
      </code>
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={copy}
        aria-label="Copy the join link"
      >
        <Icon name={copied ? 'check' : 'copy'} size={16} />
        <span>{copied ? 'Copied' : 'Copy'}</span>
      </button>
    </div>
  );
}
