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

/**
 * What goes to the system's notification service. On Linux the body is
 * markup (Desktop Notifications spec: servers with "body-markup", which is
 * nearly all of them, read `<b>`, `<a href>`, `<img src>` and entities), so a
 * message could otherwise show links or load images nobody wrote; it is
 * escaped there, and a server without markup support would show the entities
 * as they are. The title (the spec's summary) is plain text everywhere, and
 * GNOME escapes it itself, so escaping it too would show `&amp;`. macOS and
 * Windows take both as plain text.
 */
export function nativeNotification(
  request: { title: string; body: string },
  platform: NodeJS.Platform,
): { title: string; body: string } {
  if (platform !== 'linux') return { title: request.title, body: request.body };
  return { title: request.title, body: escapeMarkup(request.body) };
}

/**
 * `&`, `<` and `>` only: with no `<` left nothing can open a tag, so quotes
 * cannot start an attribute; and `&apos;`/`&#39;` are not understood alike by
 * every server (GNOME shows `&#39;` as typed).
 */
const MARKUP_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

function escapeMarkup(text: string): string {
  return text.replace(/[&<>]/g, (c) => MARKUP_ENTITIES[c]!);
}
