import {
  ErrorCode,
  fitsTextLength,
  formatCodePoint,
  invisibleCharacterIn,
  LIMITS,
  trimWhitespace,
} from '../../shared/protocol';
import { ClientErrorCode, RoostError, type UnpairedReason } from '../../shared/sync';

const UNREACHABLE =
  'Can’t reach the hub right now. ' +
  'Check that it is running and that this device is on the same network, then try again.';

/**
 * What to tell a person whose pairing failed. The hub's own messages are
 * written for people ("Wrong pairing code…", "Too many wrong codes. Try again
 * in 60 s."), so they are shown as they are.
 */
export function pairingErrorMessage(err: unknown): string {
  if (!(err instanceof RoostError)) return `Pairing failed: ${err instanceof Error ? err.message : String(err)}`;
  switch (err.code) {
    case ClientErrorCode.NOT_CONNECTED:
    case ClientErrorCode.DISCONNECTED:
    case ClientErrorCode.TIMEOUT:
      return UNREACHABLE;
    case ClientErrorCode.ALREADY_PAIRED:
      return 'This device is already paired.';
    case ErrorCode.INTERNAL:
    case ErrorCode.STORAGE_FAILED:
      return `The hub could not pair this device (${err.message}). Try again in a moment.`;
    default:
      return err.message;
  }
}

/** Why this device is back at the pairing screen, if it was paired before. */
export function unpairedNotice(reason: UnpairedReason): string | undefined {
  switch (reason) {
    case 'revoked':
      return 'This device was removed from your account. Pair it again to keep using Roost here.';
    case 'authFailed':
      return 'The hub no longer recognises this device. Pair it again to keep using Roost here.';
    case 'hubChanged':
      return 'A different hub now answers at this address. Pair with it to continue.';
    case 'notPaired':
      return undefined;
  }
}

/**
 * Checks a name field the way the hub will (trimmed, 1-64 characters, nothing invisible: nameCharacters.ts);
 * undefined when it is fine.
 */
export function nameProblem(label: string, value: string): string | undefined {
  const trimmed = trimWhitespace(value);
  if (!trimmed) return `Enter ${label}.`;
  if (!fitsTextLength(trimmed, LIMITS.maxNameLength))
    return `${capitalize(label)} can be at most ${LIMITS.maxNameLength} characters.`;
  const invisible = invisibleCharacterIn(trimmed);
  if (invisible !== undefined)
    return (
      `${capitalize(label)} can’t contain invisible, control or text-direction characters ` +
      `(${formatCodePoint(invisible)}), which pasted text sometimes brings along.`
    );
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
