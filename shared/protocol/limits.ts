/**
 * Limits that are part of the contract: clients can rely on them and the hub
 * enforces them. Documented in docs/PROTOCOL.md section "Limits".
 */
export const LIMITS = {
  /** Largest WebSocket frame the hub accepts; larger closes with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Longest message text, in UTF-16 code units (JavaScript string length). */
  maxTextLength: 4000,
  /** Longest display name, device name, room name. */
  maxNameLength: 64,
  /** Most messages one `fetchMessages` page returns. */
  maxPageSize: 500,
  /**
   * A page stops early (with hasMore) once its texts add up to this many
   * characters, so one page never floods a slow device's connection.
   */
  maxPageTextLength: 256 * 1024,
  /** Page size when a request names none. */
  defaultPageSize: 200,
  /** Most members a group room may be created with in one request. */
  maxMembersPerRequest: 256,
  /** A resend is recognised if the original is among this many latest messages of its conversation. */
  dedupWindow: 10_000,
} as const;
