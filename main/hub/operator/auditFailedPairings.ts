import type { AuditEntry } from '../../../shared/hub/operatorViews';
import type { PairingFailure, PairingState } from '../../../shared/hub/pairingState';

export type FailedPairingAuditOptions = {
  /** Failed attempts are gathered this long, then written. Default 10 s. */
  everyMs?: number;
  /** Addresses written per gathering at most; the rest are one entry that counts them. Default 5. */
  maxLines?: number;
};

export const FAILED_PAIRING_AUDIT_DEFAULTS = { everyMs: 10_000, maxLines: 5 } as const;

const OUTCOMES: Readonly<Record<PairingFailure['outcome'], string>> = {
  wrong: 'wrong',
  closed: 'while pairing was closed',
  refused: 'refused unseen',
};

/**
 * Writes failed pairing attempts to the audit log, gathered: a flood of guesses is at most maxLines + 1
 * entries per everyMs, so it cannot push the owner's own actions out of the log within hours. Subscribe
 * it to the hub's pairing changes; returns the listener and a stop that writes what is gathered.
 */
export function auditFailedPairings(
  initial: PairingState,
  current: () => PairingState,
  append: (entry: AuditEntry) => void,
  now: () => number,
  options: FailedPairingAuditOptions = {},
): { listener: (state: PairingState) => void; stop: () => void } {
  const everyMs = options.everyMs ?? FAILED_PAIRING_AUDIT_DEFAULTS.everyMs;
  const maxLines = options.maxLines ?? FAILED_PAIRING_AUDIT_DEFAULTS.maxLines;
  let reported = countsOf(initial.recentFailures);
  let reportedTotal = initial.failedAttempts;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const state = current();
    const fresh: Array<{ line: PairingFailure; count: number }> = [];
    for (const line of state.recentFailures) {
      const before = reported.get(keyOf(line)) ?? 0;
      // A line pushed out of the recent list and back again starts counting anew.
      const count = line.count >= before ? line.count - before : line.count;
      if (count > 0) fresh.push({ line, count });
    }
    const total = state.failedAttempts - reportedTotal;
    reported = countsOf(state.recentFailures);
    reportedTotal = state.failedAttempts;
    const at = now();
    let written = 0;
    for (const { line, count } of fresh.slice(0, maxLines)) {
      written += count;
      append({
        at,
        actor: 'network',
        action: 'failedPairing',
        target: line.address,
        result: line.outcome,
        detail: `${count} ${secretName(line.kind)} attempt${count === 1 ? '' : 's'}, ${OUTCOMES[line.outcome]}`,
      });
    }
    if (total > written)
      append({
        at,
        actor: 'network',
        action: 'failedPairing',
        target: 'other addresses',
        result: 'various',
        detail: `${total - written} more failed attempts`,
      });
  };

  return {
    listener: (state) => {
      if (state.failedAttempts > reportedTotal && !timer) timer = setTimeout(flush, everyMs).unref();
    },
    stop: () => {
      if (!timer) return;
      clearTimeout(timer);
      flush();
    },
  };
}

function secretName(kind: PairingFailure['kind']): string {
  return { code: 'pairing code', linkCode: 'link code', joinToken: 'join link' }[kind];
}

const keyOf = (line: PairingFailure) => `${line.address} ${line.kind} ${line.outcome}`;

function countsOf(lines: readonly PairingFailure[]): Map<string, number> {
  return new Map(lines.map((line) => [keyOf(line), line.count]));
}
