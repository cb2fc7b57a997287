/**
 * Stable error codes carried by `error` frames. Clients switch on these, never
 * on the human-readable message. Unknown codes must be treated as `INTERNAL`.
 */
export const ErrorCode = {
  BAD_JSON: 'BAD_JSON',
  BINARY_NOT_SUPPORTED: 'BINARY_NOT_SUPPORTED',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  BAD_FRAME: 'BAD_FRAME',
  HELLO_REQUIRED: 'HELLO_REQUIRED',
  ALREADY_AUTHENTICATED: 'ALREADY_AUTHENTICATED',
  NOT_AUTHENTICATED: 'NOT_AUTHENTICATED',
  AUTH_FAILED: 'AUTH_FAILED',
  PAIRING_CODE_INVALID: 'PAIRING_CODE_INVALID',
  PAIRING_CODE_EXPIRED: 'PAIRING_CODE_EXPIRED',
  PAIRING_LOCKED: 'PAIRING_LOCKED',
  JOIN_TOKEN_INVALID: 'JOIN_TOKEN_INVALID',
  LINK_CODE_INVALID: 'LINK_CODE_INVALID',
  NOT_FOUND: 'NOT_FOUND',
  NOT_A_MEMBER: 'NOT_A_MEMBER',
  FORBIDDEN: 'FORBIDDEN',
  STORAGE_FAILED: 'STORAGE_FAILED',
  INTERNAL: 'INTERNAL',
  /** `send` past the storage this user may take on the hub: permanent for that message; the owner can raise it. */
  STORAGE_QUOTA_EXCEEDED: 'STORAGE_QUOTA_EXCEEDED',
  /** The conversation's stored history is damaged or missing: refused until the hub's owner repairs it. */
  STORAGE_CORRUPT: 'STORAGE_CORRUPT',
  /** A code or link code while pairing is closed: ask the hub's owner to open it. */
  PAIRING_CLOSED: 'PAIRING_CLOSED',
  /** The hub-wide ceiling of wrong codes in this pairing window is reached: ask the owner to open pairing anew. */
  PAIRING_LIMIT_REACHED: 'PAIRING_LIMIT_REACHED',
  /** The hub tracks as many guessing addresses as it can: a new one waits the time stated. */
  PAIRING_BUSY: 'PAIRING_BUSY',
  /** `claimJoinLink` with a join link already claimed or used (6.3): ask for a new link, or pair with a code. */
  JOIN_TOKEN_USED: 'JOIN_TOKEN_USED',
  /** `claimJoinLink` with a join link past its life (6.3): ask for a new link, or pair with a code. */
  JOIN_TOKEN_EXPIRED: 'JOIN_TOKEN_EXPIRED',
  /** `openDirect`, `createGroup` or `addMembers` naming a user who blocks the requester (11.7): do not offer it. */
  BLOCKED_BY_USER: 'BLOCKED_BY_USER',
  /** `createGroup` past the rooms one user may create per hour (2.2): `message` says how long to wait. */
  ROOM_RATE_LIMITED: 'ROOM_RATE_LIMITED',
  /** `createGroup` or `addMembers` past the people one user may add per minute (2.2): `message` says how long. */
  MEMBER_RATE_LIMITED: 'MEMBER_RATE_LIMITED',
  /** `pair`, `pakeStart` or `pakeFinish`: not a P-256 key, or its signature does not verify (`auth`: AUTH_FAILED). */
  DEVICE_KEY_INVALID: 'DEVICE_KEY_INVALID',
  /** `pakeFinish` without a `pakeStart` answered on this connection (6.2). */
  PAKE_NOT_STARTED: 'PAKE_NOT_STARTED',
  /** `send` naming an upload that is not this user's, not finished, or gone (appendix F.3): upload it again. */
  FILE_NOT_UPLOADED: 'FILE_NOT_UPLOADED',
  /** `send` declaring a SHA-256 that the uploaded bytes do not have: upload the file again. */
  FILE_HASH_MISMATCH: 'FILE_HASH_MISMATCH',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * WebSocket close codes the hub uses besides the standard ones
 * (1000 normal, 1001 hub going away, 1009 frame too big).
 */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TOO_BIG: 1009,
  INCOMPATIBLE_PROTOCOL: 4001,
  HANDSHAKE_TIMEOUT: 4002,
  DEVICE_REVOKED: 4003,
  RATE_LIMITED: 4008,
  SLOW_CONSUMER: 4009,
  /**
   * Never sent by a hub: a client's pinning transport reports it when the hub's identity proof is missing
   * or names another identity (appendix C). The reason is HUB_IDENTITY_CHANGED or HUB_IDENTITY_UNPROVEN.
   */
  HUB_IDENTITY_REFUSED: 4015,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Why a pinning client refused the hub (CloseCode.HUB_IDENTITY_REFUSED's reason). */
export const IdentityRefusal = {
  HUB_IDENTITY_CHANGED: 'HUB_IDENTITY_CHANGED',
  HUB_IDENTITY_UNPROVEN: 'HUB_IDENTITY_UNPROVEN',
} as const;
export type IdentityRefusal = (typeof IdentityRefusal)[keyof typeof IdentityRefusal];

/** Why a `hello` was refused. */
export const IncompatibleReason = {
  CLIENT_TOO_OLD: 'CLIENT_TOO_OLD',
  CLIENT_TOO_NEW: 'CLIENT_TOO_NEW',
} as const;
export type IncompatibleReason = (typeof IncompatibleReason)[keyof typeof IncompatibleReason];
