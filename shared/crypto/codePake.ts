/**
 * Pairing by code (the hub's pairing code or a link code) as one SPAKE2 exchange (RFC 9382, spake2.ts). The device
 * is A, the hub is B, and the transcript binds both: A is the device's public key, B the hub's identity. A rogue hub
 * relaying the exchange runs it under its own identity, so neither side's confirmation verifies, and all it learns is
 * whether one guess of the code was right (one guess, counted by the real hub's limits).
 */
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { HUB_IDENTITY_PATTERN } from '../protocol/hubIdentity';
import { GROUP_ORDER, Spake2Error, Spake2ErrorCode, startSpake2, type Spake2Session } from './spake2';

/** What the code is for; it keys w, so a pairing code never opens a link-code exchange nor the other way round. */
export const PakePurpose = {
  PAIRING_CODE: 'pairing-code',
  LINK_CODE: 'link-code',
} as const;
export type PakePurpose = (typeof PakePurpose)[keyof typeof PakePurpose];

export interface CodePakeInput {
  /** The code as the person reads it (for a pairing code, its six digits); the caller normalises it. */
  code: string;
  purpose: PakePurpose;
  /** The hub's identity (52 base32 characters): for the device, the one the hub proved in this TLS session. */
  hubIdentity: string;
  /** The device's public key, exactly the bytes the device sends with its share. */
  devicePublicKey: Uint8Array;
  /** Protocol context both sides must agree on (for example the protocol version), bound into the confirmations. */
  aad?: Uint8Array;
}

const W_SALT = utf8ToBytes('roost spake2 w v1');
/** 64 bits longer than p, so that w mod p is unbiased to 2^-64 (the RFC's advice, after NIST SP 800-56A). */
const W_BYTES = 40;

/**
 * w = MHF(code) mod p (RFC 9382 section 3.2), with HKDF-SHA-256 as the MHF, on purpose not a memory-hard one.
 * A six-digit code has 10^6 values: no memory-hard cost that a phone, a browser and a hub serving many devices can
 * all afford stops a search of that space (scrypt at 50 ms a guess still falls in 14 hours on one core), so it would
 * buy nothing. What protects the code is SPAKE2 itself: an observer, or a peer, gets nothing to test guesses on
 * offline; each exchange tests exactly one guess, which the hub counts against its limits, and the code lives
 * minutes. A memory-hard function would only make every attempt cost the hub memory and time, a lever for flooding
 * it. The purpose and the hub's identity in HKDF's info keep one hub's codes, and codes of another kind, apart.
 */
export function codePasswordScalar(code: string, purpose: PakePurpose, hubIdentity: string): bigint {
  if (code.length === 0) throw new Spake2Error(Spake2ErrorCode.EMPTY_PASSWORD, 'a pairing exchange needs a code');
  requireHubIdentity(hubIdentity);
  // Unambiguous without length prefixes: the purpose has no NUL and the identity has a fixed length.
  const info = utf8ToBytes(`${purpose}\u0000${hubIdentity}`);
  return bytesToNumberBE(hkdf(sha256, utf8ToBytes(code), W_SALT, info, W_BYTES)) % GROUP_ORDER;
}

/** The device's side (A): send `share`, then finish with the hub's share and send `confirmation` (cA). */
export function startDevicePake(input: CodePakeInput): Spake2Session {
  return start('A', input);
}

/** The hub's side (B): finish with the device's share, send `share` and cB; check the device's cA when it comes. */
export function startHubPake(input: CodePakeInput): Spake2Session {
  return start('B', input);
}

function start(role: 'A' | 'B', input: CodePakeInput): Spake2Session {
  if (input.devicePublicKey.length === 0) {
    throw new Spake2Error(Spake2ErrorCode.INVALID_IDENTITY, "the device's public key is empty");
  }
  const w = codePasswordScalar(input.code, input.purpose, input.hubIdentity);
  const idA = input.devicePublicKey;
  const idB = utf8ToBytes(input.hubIdentity);
  return startSpake2({ role, w, idA, idB, ...(input.aad ? { aad: input.aad } : {}) });
}

function requireHubIdentity(hubIdentity: string): void {
  if (HUB_IDENTITY_PATTERN.test(hubIdentity)) return;
  throw new Spake2Error(
    Spake2ErrorCode.INVALID_IDENTITY,
    `a hub identity is 52 characters of A-Z and 2-7, got ${JSON.stringify(hubIdentity.slice(0, 64))}`,
  );
}
