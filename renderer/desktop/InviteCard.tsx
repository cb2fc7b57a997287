import { useState } from 'react';
import type { HostingStatus } from '../../shared/desktop';
import { useNow } from '../app/useNow';
import { formatCountdown } from '../devices/deviceLabels';
import { Icon } from '../ui/Icon';
import { formatClock } from '../ui/time';
import { JoinQrCode } from './JoinQrCode';
import { PanelHeader } from '../ui/PanelHeader';

type Running = Extract<HostingStatus, { state: 'running' }>;

/** How people join: scan the QR code (phones), or open an address and type the pairing code. */
export function InviteCard({ status }: { status: Running }) {
  const now = useNow(1000);
  const code = status.pairingCode;
  const codeLive = code.expiresAt > now;
  return (
    <section className="link-panel invite" aria-labelledby="invite-title" data-testid="invite-card">
      <PanelHeader icon="userPlus" titleId="invite-title" title="Invite people">
        <p className="link-panel__text">
          Phones: scan the code with the camera. Other computers: open an address below and enter the pairing code.
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
          <div className="link-panel__code-box">
            <span className="invite__label">Pairing code</span>
            <output
              className="link-panel__code"
              data-testid="hosting-pairing-code"
              data-code={code.code}
              aria-label={`Pairing code ${code.code.split('').join(' ')}`}
            >
              {formatPairingCode(code.code)}
            </output>
            <p className="link-panel__expiry" data-testid="hosting-pairing-expiry">
              {codeLive
                ? `Valid for ${formatCountdown(code.expiresAt, now)} more, then a new one appears.`
                : 'A new code is on its way…'}
            </p>
          </div>
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

/** "482913" → "482 913", as the hub prints it. */
export function formatPairingCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
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
