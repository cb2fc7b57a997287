/**
 * The TXT record a hub advertises over mDNS, and its parser for browsers.
 *
 *   v=1        TXT layout version; bumped only if a key changes meaning (new keys do not bump it)
 *   id=<id>    the hub's id (IdSchema)
 *   name=<s>   the hub's display name
 *   proto=<n>  the hub's wire protocol version (PROTOCOL_VERSION)
 *   ik=<id>    the hub's identity (HubIdentitySchema, 52 characters); optional, older hubs lack it. A hint
 *              only: anyone on the LAN can announce anything, so a browser lists a hub by the identity it
 *              proves inside TLS (./liveness) and only compares this key with it
 *
 * Only what any device on the LAN may see: no secrets, no user or device names.
 * Everything from the network is untrusted, so parse never throws.
 */
import { z } from 'zod';
import {
  cutToLength,
  HubIdentitySchema,
  IdSchema,
  invisibleCharacterIn,
  invisibleCharacterMessage,
  LIMITS,
  stripInvisible,
  trimWhitespace,
  VISIBLE_NAME_PATTERN,
} from '../../shared/protocol';
import { describeSchemaError } from '../../shared/util/schemaError';

export const TXT_FORMAT_VERSION = '1';

/** RFC 6763 6.1: each `key=value` string is at most 255 bytes. */
const MAX_TXT_STRING_BYTES = 255;

export const HubAdvertSchema = z.object({
  id: IdSchema,
  name: z.string().trim().min(1, 'must not be blank'),
  protocolVersion: z.int().min(0),
  /** The identity the hub announces: a hint to compare with the proven one, never trusted on its own. */
  identity: HubIdentitySchema.optional(),
});
export type HubAdvert = z.infer<typeof HubAdvertSchema>;

export type HubTxtRecord = { v: string; id: string; name: string; proto: string; ik?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Shown for a hub whose stored name has nothing visible (a name from before invisible characters were refused). */
const FALLBACK_NAME = 'Roost hub';

/** Builds the TXT record for our own hub; its inputs come from our registry, so bad ones are bugs. */
export function buildTxtRecord(advert: HubAdvert): HubTxtRecord {
  const { id, name, protocolVersion, identity } = HubAdvertSchema.parse(advert);
  // Browsers refuse a name with invisible characters; one stored by an older version must not hide this hub.
  const visible = trimWhitespace(stripInvisible(name)) || FALLBACK_NAME;
  return {
    v: TXT_FORMAT_VERSION,
    id,
    // An over-long string would overflow its one-byte length in the packet and corrupt it.
    name: truncateUtf8(visible, MAX_TXT_STRING_BYTES - 'name='.length),
    proto: String(protocolVersion),
    ...(identity ? { ik: identity } : {}),
  };
}

/** A TXT value as bonjour-service hands it over: a string, or bytes when decoded as binary. */
const TxtTextSchema = z.union([
  z.string(),
  z.instanceof(Uint8Array).transform((bytes, ctx) => {
    try {
      return utf8.decode(bytes);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not UTF-8' });
      return z.NEVER;
    }
  }),
]);

/** DNS-SD keys are case-insensitive, and the first of repeated keys wins (RFC 6763 6.4). */
function lowercaseKeys(txt: unknown): unknown {
  if (typeof txt !== 'object' || txt === null || Array.isArray(txt)) return txt;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(txt)) {
    const lower = key.toLowerCase();
    if (!(lower in out)) out[lower] = value;
  }
  return out;
}

const HubTxtSchema = z.preprocess(
  lowercaseKeys,
  z.object({
    v: TxtTextSchema.pipe(z.literal(TXT_FORMAT_VERSION)),
    id: TxtTextSchema.pipe(IdSchema),
    // A newer hub may allow longer names; show a shortened one rather than hide the hub. Invisible and
    // text-direction characters are refused as in every name (nameCharacters.ts): such a hub is not listed.
    name: TxtTextSchema.pipe(
      z
        .string()
        .regex(VISIBLE_NAME_PATTERN, {
          error: (issue) => invisibleCharacterMessage(invisibleCharacterIn(String(issue.input)) ?? 0),
        })
        .trim()
        .min(1, 'must not be blank'),
    ).transform((n) => cutToLength(n, LIMITS.maxNameLength)),
    proto: TxtTextSchema.pipe(z.string().regex(/^\d{1,9}$/, 'must be a non-negative integer')),
    // Optional: hubs from before identities announce none. A malformed one refuses the advert like any bad key.
    ik: TxtTextSchema.pipe(HubIdentitySchema).optional(),
  }),
);

export type TxtParseResult = { ok: true; advert: HubAdvert } | { ok: false; error: string };

/** Reads a hub's advert from a browsed service's `txt`. Unknown keys are ignored. */
export function parseTxtRecord(txt: unknown): TxtParseResult {
  const parsed = HubTxtSchema.safeParse(txt);
  if (!parsed.success) {
    return { ok: false, error: describeSchemaError(parsed.error, { root: '(txt)' }) };
  }
  const { id, name, proto, ik } = parsed.data;
  return { ok: true, advert: { id, name, protocolVersion: Number(proto), ...(ik ? { identity: ik } : {}) } };
}
