import { useEffect, useState } from 'react';
import type { DeviceDescription } from '../../shared/sync';
import { desktopBridge } from '../hub/desktopBridge';
import { browserDevice } from '../pairing/deviceName';

/**
 * How this device introduces itself when it pairs: the desktop shell's description, else one derived from the browser.
 */
export function useDefaultDevice(): DeviceDescription {
  const [device, setDevice] = useState<DeviceDescription>(() => browserDevice());
  useEffect(() => {
    let cancelled = false;
    void desktopBridge()
      ?.device()
      .then((d) => !cancelled && setDevice(d))
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, []);
  return device;
}
