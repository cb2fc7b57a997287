import type { NotificationRequest } from '../../shared/desktop';

/**
 * What the Electron e2e tests read with `electronApp.evaluate(() => globalThis.roostE2E)`,
 * present only when ROOST_E2E=1: a notification server or a tray cannot be
 * inspected from outside, so the shell records what it did.
 */
export type RoostE2E = {
  /** Every notification actually shown. */
  notifications: NotificationRequest[];
  unreadCount: number;
  trayTooltip: string;
};

export function installE2eProbe(env: NodeJS.ProcessEnv): RoostE2E | undefined {
  if (env.ROOST_E2E !== '1') return undefined;
  const probe: RoostE2E = { notifications: [], unreadCount: 0, trayTooltip: '' };
  (globalThis as { roostE2E?: RoostE2E }).roostE2E = probe;
  return probe;
}
