import { useState } from 'react';
import type { HostingStatus, PairingState } from '../../shared/desktop';
import { useNow } from '../app/useNow';
import type { DesktopBridge } from '../hub/desktopBridge';
import { FormError } from '../ui/FormError';
import { Icon } from '../ui/Icon';
import { pairingStatusText } from './pairingLabels';

type Props = { bridge: DesktopBridge; pairing: PairingState };

/**
 * The pairing code, shown only while pairing is open, with the time left; "Open pairing" while it is
 * closed (or when too many wrong codes used up the window), "Close pairing" while it is open.
 */
export function PairingCodeBox({ bridge, pairing }: Props) {
  const now = useNow(1000, pairing.open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const usable = pairing.open && pairing.wrongGuesses < pairing.maxWrongGuesses;

  const run = async (action: () => Promise<HostingStatus>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className="link-panel__code-box pairing-box"
      data-testid="hosting-pairing"
      data-open={pairing.open}
      data-usable={usable}
    >
      <span className="invite__label">Pairing code</span>
      {usable ? (
        <output
          className="link-panel__code"
          data-testid="hosting-pairing-code"
          data-code={pairing.code}
          aria-label={`Pairing code ${pairing.code.split('').join(' ')}`}
        >
          {formatPairingCode(pairing.code)}
        </output>
      ) : (
        <p className="pairing-box__closed" data-testid="hosting-pairing-closed">
          {pairing.open ? 'Too many wrong codes' : 'Pairing is closed'}
        </p>
      )}
      <p className="link-panel__expiry" data-testid="hosting-pairing-expiry">
        {pairingStatusText(pairing, now)}
      </p>
      {usable ? (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => void run(() => bridge.closePairing())}
          disabled={busy}
          data-testid="close-pairing"
        >
          <Icon name="close" size={16} />
          Close pairing
        </button>
      ) : (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => void run(() => bridge.openPairing())}
          disabled={busy}
          data-testid="open-pairing"
        >
          <Icon name="key" size={16} />
          {pairing.open ? 'Open pairing again' : 'Open pairing for 10 minutes'}
        </button>
      )}
      <FormError error={error} />
    </div>
  );
}

/** "482913" → "482 913", as the hub prints it. */
export function formatPairingCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}
