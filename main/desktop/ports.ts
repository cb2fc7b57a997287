/**
 * What DesktopServices needs from the outside world, as small interfaces:
 * main/electron implements them with Electron and the real mDNS browser;
 * tests and the Playwright stand-in pass fakes (or nothing).
 */
import type { DiscoveredHub, NotificationRequest } from '../../shared/desktop';
import type { WindowVisibility } from './notificationPolicy';

/** The desktop's window and OS integration. */
export type Shell = {
  /** Whether the main window is shown and has the focus now. */
  windowVisibility(): WindowVisibility;
  /**
   * Calls `listener` whenever the window is shown, hidden, focused, blurred, minimized or restored;
   * returns the unsubscribe.
   */
  onWindowChange(listener: () => void): () => void;
  /** Shows a native notification; `onClick` runs when the person clicks it. False where the system has none. */
  showNotification(request: NotificationRequest, onClick: () => void): boolean;
  /** Shows, restores and focuses the main window. */
  showWindow(): void;
  /** The unread total for the tray and the app badge. */
  setUnreadCount(count: number): void;
  /** Opens an already-checked http(s) URL in the system browser. */
  openExternal(url: string): Promise<void>;
};

export type DiscoveryCallbacks = {
  /** This desktop's own hub, so the list can leave it out. */
  selfHubId: () => string | undefined;
  onChange(hubs: DiscoveredHub[]): void;
  onWarning?(warning: unknown): void;
};

/** A running mDNS browser (main/discovery/browse.ts in the app). */
export type DiscoverySource = {
  hubs(): DiscoveredHub[];
  /** Asks again now (e.g. after our own hub started or stopped, so it leaves or joins the list). */
  refresh?(): void;
  stop(): Promise<void>;
};

/** Starts discovery; called once when the services start. */
export type StartDiscovery = (callbacks: DiscoveryCallbacks) => DiscoverySource;
