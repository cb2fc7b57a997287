/**
 * Errors the message log raises. Each carries a stable `code` so callers can
 * branch without parsing messages.
 */

/** A durable write or its sync failed (disk full, I/O error). The failed appends were rolled back. */
export class StorageError extends Error {
  readonly code = 'STORAGE_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/**
 * The user's messages already take the storage the hub allows one user (MessageLogOptions.maxBytesPerUser).
 * Nothing was stored.
 */
export class QuotaError extends Error {
  readonly code = 'STORAGE_QUOTA';

  constructor(
    readonly userId: string,
    readonly storedBytes: number,
    readonly limitBytes: number,
  ) {
    super(`user ${userId} stores ${storedBytes} bytes of messages; the limit per user is ${limitBytes}`);
    this.name = 'QuotaError';
  }
}

/** Why message writes are refused while the hub keeps the disk's last space for its registry. */
export const SPACE_RESERVED =
  "the disk is full; its last free space is kept for device removals and the hub's own records";

export const LogErrorCode = {
  /** A segment holds data that cannot be a crash artefact: fix or restore the file named. */
  corrupt: 'LOG_CORRUPT',
  /** The log was closed; the call came too late. */
  closed: 'LOG_CLOSED',
  /** A caller passed a value the log cannot use (bad id, negative cursor). */
  badArgument: 'LOG_BAD_ARGUMENT',
  /** The data directory was written by an unknown version of the log. */
  format: 'LOG_FORMAT',
  /** No message with that seq to delete: not stored yet, or a deletion itself. */
  notFound: 'LOG_NOT_FOUND',
} as const;
export type LogErrorCode = (typeof LogErrorCode)[keyof typeof LogErrorCode];

export class LogError extends Error {
  constructor(
    readonly code: LogErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LogError';
  }
}

/**
 * A conversation whose files are damaged or missing: the log refuses it (and only it) until the
 * operator repairs it. The message names the file and says what to do.
 */
export class ConversationRefusedError extends LogError {
  constructor(
    readonly conversationId: string,
    message: string,
  ) {
    super(LogErrorCode.corrupt, message);
    this.name = 'ConversationRefusedError';
  }
}

/** Names the file and byte offset so an operator can look at the exact spot. */
export class LogCorruptError extends LogError {
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(LogErrorCode.corrupt, `message log corrupt: ${file} at byte ${offset}: ${reason}`);
    this.name = 'LogCorruptError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
