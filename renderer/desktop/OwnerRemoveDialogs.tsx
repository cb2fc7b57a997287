import type { OperatorDevice, OperatorUser } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { Dialog } from '../ui/Dialog';
import { ConfirmedAction } from '../ui/ConfirmedAction';
import { bridgeErrorText } from './bridgeErrorText';

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
  return (
    <ConfirmedAction
      text={
        `This device of ${device.userName} is signed out at once and can no longer read or send messages. They ` +
        'can pair it again only while pairing is open.'
      }
      action={() => bridge.removeAnyDevice(device.id)}
      onDone={onClose}
      onCancel={onClose}
      failure="Not removed"
      describeError={bridgeErrorText}
      confirmTestId="confirm-owner-remove-device"
      confirmLabel="Remove device"
      busyLabel="Removing…"
    />
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
  const devices = user.devices.length;
  const whose = devices === 0 ? 'They are' : devices === 1 ? 'Their device is' : `All ${devices} of their devices are`;
  return (
    <ConfirmedAction
      text={
        `${whose} signed out at once, and they leave every room. Their messages stay, shown as from a removed ` +
        'user. They can come back only by pairing as a new person.'
      }
      action={() => bridge.removeUser(user.id)}
      onDone={onClose}
      onCancel={onClose}
      failure="Not removed"
      describeError={bridgeErrorText}
      confirmTestId="confirm-remove-user"
      confirmLabel="Remove person"
      busyLabel="Removing…"
    />
  );
}
