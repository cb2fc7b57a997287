import type { DeviceWire } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { Dialog } from '../ui/Dialog';
import { ConfirmedAction } from '../ui/ConfirmedAction';

type Props = { open: boolean; device: DeviceWire; isThisDevice: boolean; onClose: () => void };

/** Removing a device signs it out for good, so it is confirmed first. */
export function RemoveDeviceDialog({ open, device, isThisDevice, onClose }: Props) {
  return (
    <Dialog open={open} title={`Remove “${device.name}”?`} onClose={onClose} testId="remove-device-dialog">
      <RemoveDeviceBody device={device} isThisDevice={isThisDevice} onClose={onClose} />
    </Dialog>
  );
}

function RemoveDeviceBody({ device, isThisDevice, onClose }: Omit<Props, 'open'>) {
  const client = useClient();
  return (
    <ConfirmedAction
      text={
        isThisDevice
          ? 'This device will be signed out at once and its copy of your messages deleted. ' +
            'To use Roost here again, you will need to pair it again.'
          : 'It will be signed out at once and can no longer read or send your messages. ' +
            'To use it again, pair it again with a link code.'
      }
      action={() => client.removeDevice(device.id)}
      // Removing this very device signs it out: the app returns to pairing by itself.
      onDone={onClose}
      onCancel={onClose}
      failure="Not removed"
      confirmTestId="confirm-remove-device"
      confirmLabel={isThisDevice ? 'Sign out and remove' : 'Remove device'}
      busyLabel="Removing…"
    />
  );
}
