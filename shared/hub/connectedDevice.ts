import { z } from 'zod';
import { IdSchema, PlatformSchema } from '../protocol/primitives';

/**
 * A device with a ready connection to the hub now, as the hub reports it to
 * the process that runs it (Hub.connectedDevices): the desktop app shows
 * these on its This hub screen.
 */
export const ConnectedDeviceSchema = z.object({
  deviceId: IdSchema,
  deviceName: z.string(),
  userName: z.string(),
  platform: PlatformSchema,
  /** Connections this device has open now (a device may have a few tabs). */
  connections: z.int().min(1),
});
export type ConnectedDevice = z.infer<typeof ConnectedDeviceSchema>;
