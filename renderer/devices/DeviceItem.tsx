import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DeviceWire } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { nameProblem } from '../pairing/pairingMessages';
import { Icon } from '../ui/Icon';
import { formatAgo, formatListTime } from '../ui/time';
import { platformIcon, platformLabel } from './deviceLabels';
import { RemoveDeviceDialog } from './RemoveDeviceDialog';

type Props = {
  device: DeviceWire;
  isThisDevice: boolean;
  now: number;
  /** Offline, the last known presence is not shown. */ presenceKnown: boolean;
};

/** One device: name (renamable in place), platform, presence, and removal. */
export function DeviceItem({ device, isThisDevice, now, presenceKnown }: Props) {
  const online = presenceKnown && device.online;
  const client = useClient();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(device.name);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState(false);
  const inputId = useId();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const problem = nameProblem('a device name', name);
    if (problem) return setError(problem);
    if (name.trim() === device.name) return setEditing(false);
    setBusy(true);
    setError(undefined);
    try {
      await client.renameDevice(device.id, name.trim());
      setEditing(false);
    } catch (err) {
      setError(`Not renamed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    setEditing(false);
    setName(device.name);
    setError(undefined);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  };

  return (
    <li
      className={`device${isThisDevice ? ' device--this' : ''}`}
      data-testid="device-item"
      data-device-id={device.id}
      data-online={online}
      data-this-device={isThisDevice}
    >
      <span className="device__icon" aria-hidden="true">
        <Icon name={platformIcon(device.platform)} size={22} />
        {presenceKnown && <span className={`presence-dot${online ? ' presence-dot--online' : ''}`} />}
      </span>
      <div className="device__main">
        {editing ? (
          <form className="device__rename" onSubmit={(event) => void save(event)} onKeyDown={onKeyDown} noValidate>
            <label className="sr-only" htmlFor={inputId}>
              Device name
            </label>
            <input
              id={inputId}
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={64}
              autoFocus
              autoComplete="off"
            />
            <button type="submit" className="button button--primary button--small" disabled={busy}>
              Save
            </button>
            <button type="button" className="button button--ghost button--small" onClick={cancel}>
              Cancel
            </button>
          </form>
        ) : (
          <div className="device__title">
            <span className="device__name" data-testid="device-name">
              {device.name}
            </span>
            {isThisDevice && <span className="tag">This device</span>}
          </div>
        )}
        <p className="device__meta">
          <span className={online ? 'device__online' : undefined}>
            {online ? 'Online' : isThisDevice ? 'Not connected' : `Last seen ${formatAgo(device.lastSeenAt, now)}`}
          </span>
          <span aria-hidden="true"> · </span>
          <span>{platformLabel(device.platform)}</span>
          <span aria-hidden="true"> · </span>
          <span>Added {formatListTime(device.pairedAt, now)}</span>
        </p>
        {error && (
          <p className="form-error device__error" role="alert">
            {error}
          </p>
        )}
      </div>
      {!editing && (
        <div className="device__actions">
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => setEditing(true)}
            aria-label={`Rename ${device.name}`}
          >
            <Icon name="pencil" size={16} />
            <span className="device__action-label">Rename</span>
          </button>
          <button
            type="button"
            className="button button--danger-quiet button--small"
            onClick={() => setRemoving(true)}
            aria-label={`Remove ${device.name}`}
          >
            <Icon name="trash" size={16} />
            <span className="device__action-label">Remove</span>
          </button>
        </div>
      )}
      <RemoveDeviceDialog
        open={removing}
        device={device}
        isThisDevice={isThisDevice}
        onClose={() => setRemoving(false)}
      />
    </li>
  );
}
