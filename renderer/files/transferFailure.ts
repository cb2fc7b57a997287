import { ClientErrorCode, RoostError } from '../../shared/sync';
import { FileTransferError } from './fileErrors';

/** Statuses that say "not now" rather than "no": the hub is busy, restarting, or the session went with it. */
const PASSING_STATUSES = new Set([0, 401, 404, 408, 409, 423, 500, 502, 503, 504]);
const PASSING_CLIENT_CODES: readonly string[] = [
  ClientErrorCode.NOT_CONNECTED,
  ClientErrorCode.DISCONNECTED,
  ClientErrorCode.TIMEOUT,
];

/**
 * Whether a failed step of sending files is worth doing again by itself once the hub can be reached: the
 * network, a hub restart, a busy hub. A refusal that stays (too large, quota, a full disk, a conversation one
 * left) is shown to the person instead.
 */
export function isPassingFailure(err: unknown): boolean {
  if (err instanceof FileTransferError) return err.code !== 'BAD_LOCATION' && PASSING_STATUSES.has(err.status);
  if (err instanceof RoostError) return PASSING_CLIENT_CODES.includes(err.code);
  // fetch's TypeError and the like: no answer from the hub at all.
  return true;
}

/** What the hub answers a `send` whose uploads it no longer has (gone after 24 h unsent): upload them again. */
export const UPLOAD_GONE_CODES: readonly string[] = ['FILE_NOT_UPLOADED', 'FILE_HASH_MISMATCH'];
