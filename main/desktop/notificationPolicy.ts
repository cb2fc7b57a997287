/**
 * When the desktop draws attention, and what the tray says. Pure, so the
 * rules are tested without a window or a notification server.
 */

export type WindowVisibility = { visible: boolean; focused: boolean };

/** A message is shown natively only when the person is not already looking at the app. */
export function shouldNotify(window: WindowVisibility, muted: boolean): boolean {
  if (muted) return false;
  return !window.visible || !window.focused;
}

export const APP_NAME = 'Roost';

/** The tray's tooltip (and, on macOS, the text beside its icon is `trayTitle`). */
export function trayTooltip(unread: number): string {
  if (unread <= 0) return APP_NAME;
  return `${APP_NAME}: ${unread} unread ${unread === 1 ? 'message' : 'messages'}`;
}

/** Short enough for the macOS menu bar; empty hides it. */
export function trayTitle(unread: number): string {
  if (unread <= 0) return '';
  return unread > 999 ? '999+' : String(unread);
}
