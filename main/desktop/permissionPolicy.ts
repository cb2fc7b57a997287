import { DESKTOP_ORIGIN } from '../../shared/desktop';

/**
 * The one web permission the desktop renderer gets: writing to the clipboard
 * (the "Copy link" button), and only for our own page. Camera, microphone,
 * location, notifications (main shows those natively), MIDI, HID, opening
 * external apps and the rest are refused, whoever asks.
 */
const ALLOWED_FOR_OWN_PAGE = new Set(['clipboard-sanitized-write']);

/** @param origin the requesting frame's origin or URL, as Electron reports it */
export function isPermissionAllowed(permission: string, origin: string | undefined): boolean {
  if (!ALLOWED_FOR_OWN_PAGE.has(permission) || !origin) return false;
  return origin === DESKTOP_ORIGIN || origin.startsWith(`${DESKTOP_ORIGIN}/`);
}
