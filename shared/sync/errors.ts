import type { ErrorCode } from '../protocol';

/** Failures the client itself detects, next to the hub's ErrorCode values. */
export const ClientErrorCode = {
  /** The hub is not reachable right now (or this device is not authenticated yet). */
  NOT_CONNECTED: 'NOT_CONNECTED',
  /** The connection was lost before the hub answered. */
  DISCONNECTED: 'DISCONNECTED',
  /** The hub did not answer in time. */
  TIMEOUT: 'TIMEOUT',
  /** pair() on a device that is already paired. */
  ALREADY_PAIRED: 'ALREADY_PAIRED',
  /** An argument the hub would refuse anyway (blank text, too long, unknown conversation). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The hub answered with a frame of an unexpected type. */
  UNEXPECTED_ANSWER: 'UNEXPECTED_ANSWER',
  /** The client was stopped. */
  STOPPED: 'STOPPED',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** What promise-returning methods of RoostClient reject with: a stable `code` to switch on. */
export class RoostError extends Error {
  override readonly name = 'RoostError';
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** The request's frame type, when the hub named it. */
    readonly frameType?: string,
  ) {
    super(message);
  }
}

/** Whether `err` is a RoostError with one of these codes. */
export function hasErrorCode(err: unknown, ...codes: readonly (ErrorCode | ClientErrorCode)[]): err is RoostError {
  return err instanceof RoostError && codes.includes(err.code);
}

/** The connection went away under a request: expected, nothing to report. */
export function isConnectionGone(err: unknown): boolean {
  return hasErrorCode(err, ClientErrorCode.DISCONNECTED, ClientErrorCode.NOT_CONNECTED, ClientErrorCode.STOPPED);
}

export const WarningCode = {
  /** A frame from the hub did not match the protocol; it was ignored. */
  INVALID_FRAME: 'INVALID_FRAME',
  /** A frame of a type this client does not know (a newer hub); skipped as the protocol says. */
  UNKNOWN_FRAME: 'UNKNOWN_FRAME',
  /** Handling a valid frame failed; the client carried on. */
  HANDLER_FAILED: 'HANDLER_FAILED',
  /** Reading or writing local storage failed; the client carried on from memory. */
  STORAGE_FAILED: 'STORAGE_FAILED',
  /** Cached data did not validate and was dropped. */
  CACHE_DISCARDED: 'CACHE_DISCARDED',
  /** The hub sent an error frame no request was waiting for. */
  HUB_ERROR: 'HUB_ERROR',
  /** A message referred to a conversation the client does not know; the next catch-up fetches it. */
  UNKNOWN_CONVERSATION: 'UNKNOWN_CONVERSATION',
  /** Seqs the hub could not serve were skipped, so the timeline could go on. */
  GAP_SKIPPED: 'GAP_SKIPPED',
  /** The hub's data is older than this device's (restored from a backup); newer local messages were dropped. */
  HUB_RESTORED: 'HUB_RESTORED',
  /** Catching up a conversation failed; it is retried on the next connection. */
  SYNC_FAILED: 'SYNC_FAILED',
} as const;
export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode];

/** Reported through the `onWarning` option: things that went wrong without stopping the client. */
export type RoostWarning = { code: WarningCode; message: string; detail?: unknown };
