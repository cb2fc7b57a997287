import type { ErrorCode } from '../../shared/protocol';

/** An error a handler throws to answer the request with an `error` frame. */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}
