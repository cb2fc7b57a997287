import { AUDIT_ACTOR_LABELS, type AuditEntry } from '../../shared/desktop';

const ACTIONS: Record<AuditEntry['action'], string> = {
  removeDevice: 'removed',
  removeUser: 'removed user',
  deleteMessage: 'deleted',
  renameHub: 'renamed the hub to',
  openPairing: 'opened',
  closePairing: 'closed',
  failedPairing: 'failed to pair from',
};

/** One audit entry as a sentence: "Owner via CLI removed user "Eve" (…)", "A device on the network failed…". */
export function auditSentence(entry: AuditEntry): string {
  const who = AUDIT_ACTOR_LABELS[entry.actor];
  const sentence = `${who.charAt(0).toUpperCase()}${who.slice(1)} ${ACTIONS[entry.action]} ${entry.target}`;
  if (entry.action === 'failedPairing') return `${sentence}${entry.detail ? `: ${entry.detail}` : ''}`;
  if (entry.result === 'ok') return sentence;
  return `${sentence}: refused, ${entry.result}${entry.detail ? ` (${entry.detail})` : ''}`;
}
