import { describe, expect, it } from 'vitest';
import { isPermissionAllowed } from './permissionPolicy';

describe('isPermissionAllowed', () => {
  it('lets only our own page write to the clipboard', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://roost')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://roost/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://roost.evil')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'midiSysex',
    'hid',
    'fullscreen',
    'unknown',
  ])('refuses %s even to our page', (permission) => {
    expect(isPermissionAllowed(permission, 'app://roost')).toBe(false);
  });
});
