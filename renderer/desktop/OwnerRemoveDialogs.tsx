import { useState } from 'react';
import type { OperatorDevice, OperatorUser } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { Dialog } from '../ui/Dialog';
import { DialogActions } from '../ui/DialogActions';
import { FormError } from '../ui/FormError';
import { bridgeErrorText } from './bridgeErrorText';

/** One confirmed, irreversible action of the owner: its busy state and its error. */
function useConfirmed(action: () => Promise<unknown>, onClose: () => void, failure: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      onClose();
    } catch (err) {
      setError(`${failure}: ${bridgeErrorText(err)}`);
      setBusy(false);
    }
  };
  return { busy, error, confirm: () => void confirm() };
}

type DeviceProps = { bridge: DesktopBridge; device: OperatorDevice | undefined; onClose: () => void };

/** The owner removes any device of any user: it is signed out at once. */
export function RemoveAnyDeviceDialog({ bridge, device, onClose }: DeviceProps) {
  return (
    <Dialog
      open={device !== undefined}
      title={device ? `Remove “${device.name}”?` : ''}
      onClose={onClose}
      testId="owner-remove-device-dialog"
    >
      {device && <RemoveDeviceBody bridge={bridge} device={device} onClose={onClose} />}
    </Dialog>
  );
}

function RemoveDeviceBody({ bridge, device, onClose }: DeviceProps & { device: OperatorDevice }) {
  const { busy, error, confirm } = useConfirmed(() => bridge.removeAnyDevice(device.id), onClose, 'Not removed');
  return (
    <>
      <p className="dialog__text">
        This device of {device.userName} is signed out at once and can no longer read or send messages. They can pair it
        again only while pairing is open.
      </p>
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        focusCancel
        danger
        onConfirm={confirm}
        disabled={busy}
        confirmTestId="confirm-owner-remove-device"
        confirmLabel={busy ? 'Removing…' : 'Remove device'}
      />
    </>
  );
}

type UserProps = { bridge: DesktopBridge; user: OperatorUser | undefined; onClose: () => void };

/** The owner removes a person: every device of theirs, for good. */
export function RemoveUserDialog({ bridge, user, onClose }: UserProps) {
  return (
    <Dialog
      open={user !== undefined}
      title={user ? `Remove ${user.displayName} from this hub?` : ''}
      onClose={onClose}
      testId="remove-user-dialog"
    >
      {user && <RemoveUserBody bridge={bridge} user={user} onClose={onClose} />}
    </Dialog>
  );
}

function RemoveUserBody({ bridge, user, onClose }: UserProps & { user: OperatorUser }) {
  const { busy, error, confirm } = useConfirmed(() => bridge.removeUser(user.id), onClose, 'Not removed');
  const devices = user.devices.length;
  return (
    <>
      <p className="dialog__text">
        {devices === 0 ? 'They are' : devices === 1 ? 'Their device is' : `All ${devices} of their devices are`} signed
        out at once, and they leave every room. Their messages stay, shown as from a removed user. They can come back
        only by pairing as a new person.
      </p>
      <FormError error={error} />
      <DialogActions
        onCancel={onClose}
        focusCancel
        danger
        onConfirm={confirm}
        disabled={busy}
        confirmTestId="confirm-remove-user"
        confirmLabel={busy ? 'Removing…' : 'Remove person'}
      />
    </>
  );
}
