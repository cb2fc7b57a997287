import { AUDIT_ACTOR_LABELS, type AuditEntry, type OperatorDevice } from '../../shared/hub/operatorViews';
import type { PairingState } from '../../shared/hub/pairingState';
import type { OperatorCommand, OperatorResult } from '../hub/operator/operatorProtocol';
import { failureSummary } from './pairingOutput';

/** What a command's result looks like in the terminal, one string per line. */
export function formatResult<C extends OperatorCommand>(command: C, result: OperatorResult<C>): string[] {
  // Each case narrows `result` by the command it was asked with.
  const r = result as OperatorResult<OperatorCommand>;
  switch (command) {
    case 'users':
      return formatUsers(r as OperatorResult<'users'>);
    case 'devices':
      return formatDevices(r as OperatorResult<'devices'>);
    case 'remove-device': {
      const { device } = r as OperatorResult<'remove-device'>;
      return [`Removed device ${quote(device.name)} of ${quote(device.userName)}: it is cut off and cannot reconnect.`];
    }
    case 'remove-user': {
      const { user, alreadyRemoved } = r as OperatorResult<'remove-user'>;
      return alreadyRemoved
        ? [`${quote(user.displayName)} was removed before.`]
        : [
            `Removed ${quote(user.displayName)} and all their devices. Their messages stay, shown as from a ` +
              'removed user; they can come back only by pairing as a new user.',
          ];
    }
    case 'delete-message': {
      const { conversationName, senderName, deletionSeq } = r as OperatorResult<'delete-message'>;
      const where = conversationName ? ` in ${quote(conversationName)}` : '';
      const from = senderName ? ` from ${quote(senderName)}` : '';
      return deletionSeq === undefined
        ? [`That message${from}${where} was deleted before; its text is gone from the hub's files.`]
        : [`Deleted the message${from}${where} for everyone; its text is gone from the hub's files.`];
    }
    case 'rename':
      return [`The hub is now called ${quote((r as OperatorResult<'rename'>).name)}.`];
    case 'pairing':
    case 'pairing-open':
    case 'pairing-close':
      return formatPairing(r as PairingState);
    case 'audit':
      return formatAudit(r as OperatorResult<'audit'>);
  }
  return [];
}

function formatUsers(users: OperatorResult<'users'>): string[] {
  if (users.length === 0) return ['No users yet: pair a device (npm run hub -- pairing open).'];
  const lines: string[] = [];
  for (const u of users) {
    const state = u.removedAt !== undefined ? ` (removed ${time(u.removedAt)})` : u.online ? ' (online)' : '';
    lines.push(`${u.displayName}${state}  user ${u.id}`);
    for (const d of u.devices) lines.push(`  ${deviceLine(d)}`);
    if (u.devices.length === 0 && u.removedAt === undefined) lines.push('  no devices');
  }
  return lines;
}

function formatDevices(devices: readonly OperatorDevice[]): string[] {
  if (devices.length === 0) return ['No devices are paired.'];
  return devices.map((d) => `${deviceLine(d)}  of ${d.userName}`);
}

function deviceLine(d: OperatorDevice, now = Date.now()): string {
  const seen = d.connections > 0 ? 'online' : `last seen ${time(d.lastSeenAt)}`;
  return `${d.name} (${d.platform}, ${seen})${migrationNote(d, now)}  device ${d.id}`;
}

/** A protocol-1 device that has not bound a key (PROTOCOL.md 6.7): the owner sees it until it does. */
function migrationNote(d: OperatorDevice, now: number): string {
  if (d.keyMigrationUntil === undefined) return '';
  return d.keyMigrationUntil > now
    ? ` [not migrated: must connect with an updated app before ${time(d.keyMigrationUntil)}]`
    : ' [not migrated: must pair again]';
}

function formatPairing(state: PairingState): string[] {
  const lines = state.open
    ? [`Pairing is open until ${time(state.closesAt)}. Code: ${state.code.slice(0, 3)} ${state.code.slice(3)}`]
    : ['Pairing by code is closed (join links still work). Open it with: npm run hub -- pairing open'];
  if (state.recentFailures.length > 0) lines.push(failureSummary(state, new Map(), state.failedAttempts).trim());
  return lines;
}

function formatAudit(entries: readonly AuditEntry[]): string[] {
  if (entries.length === 0) return ['The audit log is empty.'];
  // Oldest first, as a terminal reads.
  return [...entries].reverse().map((e) => {
    const result = e.result === 'ok' ? '' : `: ${e.result}${e.detail ? ` (${e.detail})` : ''}`;
    const detail = e.result === 'ok' && e.detail ? ` (${e.detail})` : '';
    return `${dateTime(e.at)}  ${AUDIT_ACTOR_LABELS[e.actor]}: ${e.action} ${e.target}${detail}${result}`;
  });
}

function quote(text: string): string {
  return `"${text}"`;
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function dateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
