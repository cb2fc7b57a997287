import { z } from 'zod';
import { LIMITS } from './limits';
import { invisibleCharacterIn, invisibleCharacterMessage, VISIBLE_NAME_PATTERN } from './nameCharacters';
import { isBlank, trimmedLengthPattern, trimWhitespace } from './whitespace';

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const CLIENT_MSG_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** A name as sent: trimmed of whitespace, 1 to maxNameLength characters remain. */
export const NAME_PATTERN = trimmedLengthPattern(LIMITS.maxNameLength);

/** Ids minted by the hub or the client: short, URL- and file-name-safe. */
export const IdSchema = z
  .string()
  .regex(ID_PATTERN, 'must be 1-64 of A-Z a-z 0-9 _ -')
  .describe('An opaque id: 1-64 of A-Z a-z 0-9 _ -. Never parse it or assume its length.');

/** A client's own message id; random, at least 8 characters so collisions stay unlikely. */
export const ClientMsgIdSchema = z
  .string()
  .regex(CLIENT_MSG_ID_PATTERN, 'must be 8-64 of A-Z a-z 0-9 _ -')
  .describe('The id the sending client chose for the message: 8-64 of A-Z a-z 0-9 _ -.');

/** Optional request id; echoed on the answer so clients can match it. */
export const RequestIdSchema = z
  .string()
  .min(1, 'must be a string of 1-64 characters')
  .max(64, 'must be a string of 1-64 characters')
  .describe('Request id chosen by the client, 1-64 characters; the answer carries it back (section 4.2).');

/**
 * A display, device or room name: trimmed of whitespace (whitespace.ts), then 1 to maxNameLength characters,
 * none of them invisible or a text-direction control (nameCharacters.ts).
 */
export const NameSchema = z
  .string()
  .regex(NAME_PATTERN, {
    error: (issue) =>
      isBlank(String(issue.input))
        ? 'must not be blank'
        : `must be at most ${LIMITS.maxNameLength} characters after trimming`,
  })
  .regex(VISIBLE_NAME_PATTERN, {
    error: (issue) => invisibleCharacterMessage(invisibleCharacterIn(String(issue.input)) ?? 0),
  })
  .transform(trimWhitespace)
  .describe(
    `A name: leading and trailing whitespace is removed, then 1-${LIMITS.maxNameLength} characters remain, ` +
      'with no control, invisible or text-direction characters except where emoji and scripts need them (2.2).',
  );

/**
 * The hub's own name (shown to devices, advertised over mDNS): trimmed, then 1-63 characters (one DNS
 * label), with no invisible or text-direction characters.
 */
export const HubNameSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be blank')
      .max(63, 'at most 63 characters (one DNS label)')
      .regex(VISIBLE_NAME_PATTERN, {
        error: (issue) => invisibleCharacterMessage(invisibleCharacterIn(String(issue.input)) ?? 0),
      }),
  );

export const SeqSchema = z
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .describe("A message's sequence number in its conversation (1, 2, 3, ...), or 0 for none.");

/** Milliseconds since the Unix epoch. */
export const TimestampSchema = z.int().min(0).describe("Milliseconds since the Unix epoch, by the hub's clock.");

/**
 * Device platforms. Unknown values fall back to `other` instead of failing,
 * so newer clients with new platforms can still pair.
 */
export const PlatformSchema = z
  .enum(['linux', 'macos', 'windows', 'android', 'ios', 'web', 'other'])
  .catch('other')
  .describe('linux, macos, windows, android, ios, web or other; any other value, or none, is read as other.');
export type Platform = z.infer<typeof PlatformSchema>;

export const ConversationKindSchema = z
  .enum(['default', 'group', 'direct'])
  .describe('default (the room of all users), group (a named room) or direct (two users).');
export type ConversationKind = z.infer<typeof ConversationKindSchema>;
