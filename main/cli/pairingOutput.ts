import type { PairingFailure, PairingState } from '../../shared/hub/pairingState';
import type { Hub } from '../hub/Hub';
import { PAIRING_DEFAULTS } from '../hub/pairing/pairingOptions';

/** How the owner of a headless hub opens pairing again: the operator command, from another terminal. */
export const REOPEN_PAIRING_HINT =
  'Run `npm run hub -- pairing open` (with the same --data-dir) to open pairing again ' +
  `for ${PAIRING_DEFAULTS.windowMs / 60_000} minutes`;

export type PairingOutputOptions = {
  /** At most one line about failed attempts per this long. Default 5 s. */
  summaryEveryMs?: number;
  /** Local clock time for a timestamp; default HH:MM in the system's locale. */
  clock?: (ms: number) => string;
};

/**
 * Prints the pairing state now and each change the hub tells: the code while pairing is open, when it
 * closes and how to open it again, the ceiling of wrong codes being reached, and failed attempts as one
 * summary line per few seconds at most (a flood of guesses must not flood the terminal). Returns the
 * unsubscribe.
 */
export function printPairing(hub: Hub, print: (line: string) => void, options: PairingOutputOptions = {}): () => void {
  const summaryEveryMs = options.summaryEveryMs ?? 5000;
  const clock = options.clock ?? defaultClock;
  let last = hub.pairingState();
  let reported = countsOf(last.recentFailures);
  let reportedTotal = last.failedAttempts;
  let timer: NodeJS.Timeout | undefined;
  let lastSummaryAt = Number.NEGATIVE_INFINITY;

  const summarize = () => {
    timer = undefined;
    lastSummaryAt = Date.now();
    const state = hub.pairingState();
    print(failureSummary(state, reported, state.failedAttempts - reportedTotal));
    reported = countsOf(state.recentFailures);
    reportedTotal = state.failedAttempts;
  };

  for (const line of changeLines(undefined, last, clock)) print(line);
  const off = hub.onPairingChange((state) => {
    for (const line of changeLines(last, state, clock)) print(line);
    last = state;
    if (state.failedAttempts > reportedTotal && !timer) {
      const delay = Math.max(0, lastSummaryAt + summaryEveryMs - Date.now());
      timer = setTimeout(summarize, delay).unref();
    }
  });
  return () => {
    off();
    clearTimeout(timer);
  };
}

/** What changed between two states, as lines for the terminal. */
export function changeLines(before: PairingState | undefined, now: PairingState, clock: (ms: number) => string) {
  const lines: string[] = [];
  if (now.open) {
    if (!before?.open || before.code !== now.code)
      lines.push(
        `  Pairing code: ${now.code.slice(0, 3)} ${now.code.slice(3)} (pairing open until ${clock(now.closesAt)})`,
      );
    else if (before.closesAt !== now.closesAt) lines.push(`  Pairing now open until ${clock(now.closesAt)}.`);
    const reached = now.wrongGuesses >= now.maxWrongGuesses;
    if (reached && !(before?.open && before.wrongGuesses >= before.maxWrongGuesses))
      lines.push(
        `  ${now.maxWrongGuesses} wrong codes were tried in this pairing window: codes are refused until pairing ` +
          `is opened again. ${REOPEN_PAIRING_HINT}; join links still work.`,
      );
  } else if (before === undefined || before.open) {
    const closed = before ? `closed at ${clock(Date.now())}` : 'is closed';
    lines.push(`  Pairing ${closed}: codes are refused, join links still work. ${REOPEN_PAIRING_HINT}.`);
  }
  return lines;
}

/** "  3 failed pairing attempts: wrong code from 10.0.0.7 (2), code while pairing was closed from 10.0.0.9." */
export function failureSummary(state: PairingState, reported: ReadonlyMap<string, number>, total: number): string {
  const fresh: string[] = [];
  for (const line of state.recentFailures) {
    const before = reported.get(keyOf(line)) ?? 0;
    // A line pushed out and back again starts counting anew.
    const count = line.count >= before ? line.count - before : line.count;
    if (count > 0) fresh.push(`${describe(line)} from ${line.address}${count > 1 ? ` (${count})` : ''}`);
  }
  const shown = fresh.slice(0, 3);
  if (fresh.length > shown.length) shown.push(`${fresh.length - shown.length} more`);
  const noun = total === 1 ? 'attempt' : 'attempts';
  return `  ${total} failed pairing ${noun}${shown.length > 0 ? `: ${shown.join(', ')}` : ''}.`;
}

function describe(line: PairingFailure): string {
  const secret = { code: 'code', linkCode: 'link code', joinToken: 'join link' }[line.kind];
  switch (line.outcome) {
    case 'wrong':
      return line.kind === 'joinToken' ? 'invalid join link' : `wrong ${secret}`;
    case 'closed':
      return `${secret} while pairing was closed`;
    case 'refused':
      return `${secret} refused unseen (locked out or over a limit)`;
  }
}

const keyOf = (line: PairingFailure) => `${line.address} ${line.kind} ${line.outcome}`;

function countsOf(lines: readonly PairingFailure[]): Map<string, number> {
  return new Map(lines.map((line) => [keyOf(line), line.count]));
}

function defaultClock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
