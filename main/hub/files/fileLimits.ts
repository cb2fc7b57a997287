/** What the file store lets users and the hub keep (appendix F.6); the owner may change each. */
export type FileLimits = {
  /** Largest single file (tus `Upload-Length`). Default 8 GiB. */
  maxFileBytes: number;
  /** A user's files, each upload counted even when its bytes are stored once. Default 20 GiB. */
  userBytes: number;
  /** Every file the hub stores, each content once. Default 200 GiB. */
  hubBytes: number;
  /** Free space left on the disk for the message log and the registry: uploads stop before it. Default 1 GiB. */
  freeReserveBytes: number;
  /** How long a file no message names any more is kept (a delete undone by a resend finds it). Default 1 h. */
  graceMs: number;
  /** An upload finished but named by no message, or not finished and idle, is deleted after this. Default 24 h. */
  unclaimedTtlMs: number;
  /** Unfinished uploads one user may have at once. Default 16. */
  maxIncompletePerUser: number;
  /** Uploads, finished or not, that no message of the user names yet. Default 64 (a message has at most 20). */
  maxUnsentPerUser: number;
};

const GiB = 1024 ** 3;

export const FILE_LIMIT_DEFAULTS: FileLimits = {
  maxFileBytes: 8 * GiB,
  userBytes: 20 * GiB,
  hubBytes: 200 * GiB,
  freeReserveBytes: 1 * GiB,
  graceMs: 60 * 60 * 1000,
  unclaimedTtlMs: 24 * 60 * 60 * 1000,
  maxIncompletePerUser: 16,
  maxUnsentPerUser: 64,
};
