import { describe, expect, it } from 'vitest';
import { DeviceIdentitySchema } from '../../shared/desktop';
import { deviceIdentity } from './deviceIdentity';

describe('deviceIdentity', () => {
  it('uses the host name and maps the OS', () => {
    expect(deviceIdentity('anns-macbook-pro.local', 'darwin')).toEqual({ name: 'anns-macbook-pro', platform: 'macos' });
    expect(deviceIdentity('DESKTOP-42', 'win32')).toEqual({ name: 'DESKTOP-42', platform: 'windows' });
    expect(deviceIdentity('box', 'freebsd')).toEqual({ name: 'box', platform: 'other' });
  });

  it('always fits the schema', () => {
    expect(DeviceIdentitySchema.parse(deviceIdentity('', 'linux'))).toEqual({ name: 'Desktop', platform: 'linux' });
    expect(DeviceIdentitySchema.safeParse(deviceIdentity('é'.repeat(100), 'linux')).success).toBe(true);
    expect(DeviceIdentitySchema.safeParse(deviceIdentity('🐦'.repeat(40), 'linux')).success).toBe(true);
  });
});
