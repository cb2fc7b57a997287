import type { PairingFailure, PairingState } from '../../shared/desktop';
import { formatCountdown } from '../devices/deviceLabels';

/** What a failed attempt was, in words for the owner: "Wrong code", "Link code while pairing was closed". */
export function failureLabel(failure: Pick<PairingFailure, 'kind' | 'outcome'>): string {
  const secret = { code: 'code', linkCode: 'link code', joinToken: 'join link' }[failure.kind];
  switch (failure.outcome) {
    case 'wrong':
      return failure.kind === 'joinToken' ? 'Invalid join link' : `Wrong ${secret}`;
    case 'closed':
      return `${capitalize(secret)} while pairing was closed`;
    case 'refused':
      return `${capitalize(secret)} refused unseen (locked out or over a limit)`;
  }
}

/** The line under the code: how long pairing stays open, or why codes are refused although it is. */
export function pairingStatusText(pairing: PairingState, now: number): string {
  if (!pairing.open) return 'Codes are refused. Join links and the QR code still work.';
  if (pairing.wrongGuesses >= pairing.maxWrongGuesses)
    return (
      `${pairing.maxWrongGuesses} wrong codes were tried, so codes are refused until you open pairing again ` +
      '(with a new code).'
    );
  if (pairing.closesAt <= now) return 'Closing…';
  return `Open for ${formatCountdown(pairing.closesAt, now)} more, then pairing closes by itself.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A device paired before device keys (PROTOCOL.md 6.7): say what its person must do, and by when. */
export function keyMigrationText(until: number, now: number): string {
  if (until <= now) return 'Not migrated to device keys: it must be paired again.';
  const by = new Date(until).toLocaleDateString();
  return `Not migrated to device keys: it must connect with an updated Roost by ${by}.`;
}
