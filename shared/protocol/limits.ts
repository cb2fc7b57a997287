/**
 * Limits that are part of the contract: clients can rely on them and the hub
 * enforces them (docs/PROTOCOL.md 2.2). Lengths count characters, that is
 * Unicode code points (textLength.ts), as zod and JSON Schema count them.
 */
export const LIMITS = {
  /** Largest WebSocket frame the hub accepts; larger closes with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Longest message text, in code points. */
  maxTextLength: 4000,
  /** Longest display name, device name, room name, in code points after trimming (whitespace.ts). */
  maxNameLength: 64,
  /** Most messages one `fetchMessages` page returns. */
  maxPageSize: 500,
  /**
   * A page stops early (with hasMore) once its texts add up to this many
   * code points, so one page never floods a slow device's connection.
   */
  maxPageTextLength: 256 * 1024,
  /** Page size when a request names none. */
  defaultPageSize: 200,
  /** Most members a group room may be created with in one request. */
  maxMembersPerRequest: 256,
  /** A resend is recognised if the original is among this many latest messages of its conversation. */
  dedupWindow: 10_000,
  /**
   * Largest frame before the connection is `ready`; larger closes with 1009. The largest
   * frame a client needs then (`pair`, every character escaped) is under 4 KiB: the rest
   * is room for unknown fields (4.4), not for a parser's worth of nested JSON from a
   * stranger.
   */
  maxPreReadyFrameBytes: 8 * 1024,
  /**
   * Deepest nesting of objects and arrays in a client frame (the frame itself is 1). The
   * deepest frame a client sends is 2 (`pair`); deeper is refused before it is parsed.
   */
  maxJsonDepth: 8,
  /**
   * Most `,` and `:` outside strings in a client frame: a bound on its keys and values,
   * checked before it is parsed. The largest a client sends is a `createGroup` of
   * maxMembersPerRequest ids, about 260.
   */
  maxJsonElements: 1024,
  /** Most files one message carries (appendix F). */
  maxAttachments: 10,
} as const;
