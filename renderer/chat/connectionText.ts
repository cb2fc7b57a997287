import type { ConnectionStatus } from '../../shared/sync';

export type ConnectionText = {
  /** Always shown: "Connected", "Connecting…", "Reconnecting…", "Offline". */
  label: string;
  /** "3 pending" when own messages wait for the hub. */
  pending: string | undefined;
  /** For a tooltip: the same, in full sentences. */
  description: string;
  /** While reconnecting: "next try in 12 s". */
  retry: string | undefined;
};

const LABELS: Record<ConnectionStatus, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const SENTENCES: Record<ConnectionStatus, string> = {
  connected: 'Connected to the hub.',
  connecting: 'Connecting to the hub…',
  reconnecting: 'The hub cannot be reached; retrying.',
  offline: 'Not connected to the hub.',
};

/** What the connection indicator says. `now` and `nextAttemptAt` in ms since epoch. */
export function connectionText(
  status: ConnectionStatus,
  pendingCount: number,
  nextAttemptAt: number | undefined,
  now: number,
): ConnectionText {
  const pending = pendingCount > 0 ? `${pendingCount} pending` : undefined;
  const waiting =
    pendingCount > 0
      ? ` ${pendingCount} ${pendingCount === 1 ? 'message is' : 'messages are'} waiting to be sent.`
      : '';
  const seconds =
    status === 'reconnecting' && nextAttemptAt !== undefined ? Math.ceil((nextAttemptAt - now) / 1000) : 0;
  return {
    label: LABELS[status],
    pending,
    description: SENTENCES[status] + waiting,
    retry: seconds > 0 ? `next try in ${seconds} s` : undefined,
  };
}
