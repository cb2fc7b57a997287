import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';
import { Icon } from '../ui/Icon';
import type { DesktopShell } from './desktopContext';
import { useMuted } from './useMuted';
import './desktop.css';
import { PanelHeader } from '../ui/PanelHeader';

type Props = { desktop: DesktopShell; onOpenHub: () => void };

/** The desktop app's own settings, on the devices screen: notifications, and which hub this computer uses. */
export function DesktopSettings({ desktop, onOpenHub }: Props) {
  const [muted, setMuted] = useMuted(desktop.bridge);
  const [confirming, setConfirming] = useState(false);
  const { setup } = desktop;

  return (
    <section
      className="link-panel desktop-settings"
      aria-labelledby="desktop-settings-title"
      data-testid="desktop-settings"
    >
      <PanelHeader icon="laptop" titleId="desktop-settings-title" title="This computer">
        <p className="link-panel__text" data-testid="desktop-hub-summary">
          {setup.mode === 'host'
            ? `Hosts the hub “${setup.hosting.name}”.`
            : `Uses the hub at ${hostOf(setup.hubUrl)}.`}
        </p>
      </PanelHeader>
      <label className="switch">
        <input
          type="checkbox"
          checked={muted ?? false}
          disabled={muted === undefined}
          onChange={(e) => setMuted(e.target.checked)}
          data-testid="mute-toggle"
        />
        <span className="switch__track" aria-hidden="true" />
        <span className="switch__label">
          Mute notifications
          <span className="switch__hint">The unread count in the tray and dock still updates.</span>
        </span>
      </label>
      <div className="desktop-settings__actions">
        {setup.mode === 'host' && (
          <button type="button" className="button button--secondary" onClick={onOpenHub}>
            <Icon name="broadcast" size={18} />
            This hub
          </button>
        )}
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setConfirming(true)}
          data-testid="change-hub-button"
        >
          Change hub…
        </button>
      </div>
      <Dialog open={confirming} title="Change hub?" onClose={() => setConfirming(false)} testId="change-hub-dialog">
        <ChangeHubBody desktop={desktop} onClose={() => setConfirming(false)} />
      </Dialog>
    </section>
  );
}

function ChangeHubBody({ desktop, onClose }: { desktop: DesktopShell; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const change = async () => {
    setBusy(true);
    try {
      await desktop.changeHub();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <>
      <p className="dialog__text">
        {desktop.setup.mode === 'host'
          ? 'The hub on this computer stops, and everyone connected to it is cut off until it runs again. ' +
            'Its messages stay on this computer. Then you can host again or join another hub.'
          : 'This computer leaves this hub and you choose again: host a hub here or join another one.'}
      </p>
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        focusCancel
        danger={desktop.setup.mode === 'host'}
        onConfirm={() => void change()}
        disabled={busy}
        confirmLabel={busy ? 'Changing…' : 'Change hub'}
        confirmTestId="confirm-change-hub"
      />
    </>
  );
}

function hostOf(wsUrl: string): string {
  try {
    return new URL(wsUrl).host;
  } catch {
    return wsUrl;
  }
}
