import type { UserWire } from '../protocol';

/** How a user the hub's owner removed is named (PROTOCOL.md 11.8): their messages stay, their name does not. */
export const REMOVED_USER_NAME = 'Removed user';

/**
 * The name to show for a user: their display name, `Removed user` once the hub's owner removed them, and
 * `unknown` for a user this client has not heard of (yet).
 */
export function userName(users: Readonly<Record<string, UserWire>>, userId: string, unknown = 'Someone'): string {
  const user = users[userId];
  if (!user) return unknown;
  if (user.removed) return REMOVED_USER_NAME;
  return user.displayName || unknown;
}

/** Users who may be picked (for a direct conversation, a room): not removed. */
export function isActiveUser(user: UserWire): boolean {
  return !user.removed;
}
