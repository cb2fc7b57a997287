import { z } from 'zod';

/**
 * A hub's identity: the SHA-256 of its identity key's SubjectPublicKeyInfo
 * (DER), in RFC 4648 base32 without padding. Of the key, not of a
 * certificate, so re-issuing the certificate (new addresses, expiry, an
 * owner's own certificate) never changes it (appendix C).
 */
export const HUB_IDENTITY_PATTERN = /^[A-Z2-7]{52}$/;

export const HubIdentitySchema = z
  .string()
  .regex(HUB_IDENTITY_PATTERN, 'must be 52 of A-Z 2-7')
  .describe(
    "The hub's identity: base32 (A-Z 2-7, no padding) of the SHA-256 of its identity key's SubjectPublicKeyInfo.",
  );

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const GROUP = 4;

/** 32 digest bytes → the 52-character identity. */
export function identityFromDigest(digest: Uint8Array): string {
  if (digest.length !== 32) throw new Error(`an identity is a SHA-256 digest (32 bytes), got ${digest.length}`);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** For people to compare: groups of four joined by dashes, as the hub, the app and the mDNS hint show it. */
export function formatIdentity(identity: string): string {
  const groups: string[] = [];
  for (let i = 0; i < identity.length; i += GROUP) groups.push(identity.slice(i, i + GROUP));
  return groups.join('-');
}

/** Accepts the shown form too (dashes, spaces, lower case); undefined when it is no identity. */
export function parseIdentity(text: string): string | undefined {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  return HUB_IDENTITY_PATTERN.test(compact) ? compact : undefined;
}
