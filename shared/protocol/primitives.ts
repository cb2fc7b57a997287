import { z } from 'zod';
import { LIMITS } from './limits';

/** Ids minted by the hub or the client: short, URL- and file-name-safe. */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -');

/** A client's own message id; random, at least 8 characters so collisions stay unlikely. */
export const ClientMsgIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 of A-Z a-z 0-9 _ -');

/** Optional request id; echoed on the answer so clients can match it. */
export const RequestIdSchema = z.string().min(1).max(64);

export const NameSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'must not be blank').max(LIMITS.maxNameLength));

export const SeqSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Milliseconds since the Unix epoch. */
export const TimestampSchema = z.int().min(0);

/**
 * Device platforms. Unknown values fall back to `other` instead of failing,
 * so newer clients with new platforms can still pair.
 */
export const PlatformSchema = z.enum(['linux', 'macos', 'windows', 'android', 'ios', 'web', 'other']).catch('other');
export type Platform = z.infer<typeof PlatformSchema>;

export const ConversationKindSchema = z.enum(['default', 'group', 'direct']);
export type ConversationKind = z.infer<typeof ConversationKindSchema>;
