import { useState } from 'react';
import { useClient } from '../app/useClient';
import { useNow } from '../app/useNow';
import { useRoost } from '../app/useRoost';
import { formatCountdown, formatLinkCode } from './deviceLabels';
import { PanelHeader } from '../ui/PanelHeader';

/** Makes a one-time link code that adds another device to this account (docs/PROTOCOL.md 6.4). */
export function LinkCodePanel() {
  const client = useClient();
  const connected = useRoost((s) => s.status === 'connected');
  const devices = useRoost((s) => s.devices);
  const [code, setCode] = useState<{ code: string; expiresAt: number; knownDeviceIds: ReadonlySet<string> }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const now = useNow(1000, code !== undefined);
  const expired = code !== undefined && now >= code.expiresAt;
  const [addedName, setAddedName] = useState<string>();

  // A device that appears after the code was made used it: say so instead of showing a spent code (set during
  // render, so the spent code is never drawn).
  const added = code && devices.find((d) => !code.knownDeviceIds.has(d.id));
  if (added) {
    setCode(undefined);
    setAddedName(added.name);
  }

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const knownDeviceIds = new Set(client.getState().devices.map((d) => d.id));
      setCode({ ...(await client.createLinkCode()), knownDeviceIds });
      setAddedName(undefined);
    } catch (err) {
      setError(
        connected
          ? `No code: ${err instanceof Error ? err.message : String(err)}`
          : 'A link code needs the hub. Try again once you are connected.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="link-panel" aria-labelledby="link-panel-title">
      <PanelHeader icon="plus" titleId="link-panel-title" title="Add a device">
        <p className="link-panel__text">
          Open Roost on the new device, choose “I already use Roost”, and enter the code below.
        </p>
      </PanelHeader>
      {addedName && (
        <p className="link-panel__added" role="status" data-testid="link-code-used">
          “{addedName}” was added to your devices.
        </p>
      )}
      {code && !expired && (
        <div className="link-panel__code-box">
          <output
            className="link-panel__code"
            data-testid="link-code"
            data-code={code.code}
            aria-label={`Link code ${code.code.split('').join(' ')}`}
          >
            {formatLinkCode(code.code)}
          </output>
          <p className="link-panel__expiry" data-testid="link-code-expiry">
            Works once, for {formatCountdown(code.expiresAt, now)} more.
          </p>
        </div>
      )}
      {expired && <p className="link-panel__expiry">That code has expired.</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void create()}
        disabled={busy || !connected}
        data-testid="create-link-code"
      >
        {busy ? 'Creating…' : code ? 'Create a new code' : 'Create link code'}
      </button>
    </section>
  );
}
