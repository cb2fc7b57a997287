/**
 * SPAKE2 as RFC 9382 defines it, ciphersuite SPAKE2-P256-SHA256-HKDF-HMAC, built only from audited primitives
 * (@noble/curves for P-256, @noble/hashes for SHA-256, HKDF and HMAC). This file is the standard and nothing else:
 * roles, identities, w and AAD come from the caller, so RFC 9382 Appendix B's vectors check it unchanged.
 * Roost's choices (which side is A, what the identities are, how a code becomes w) live in codePake.ts.
 */
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberBE, equalBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export const SPAKE2_SUITE = 'SPAKE2-P256-SHA256-HKDF-HMAC';

const Point = p256.Point;
type P256Point = ReturnType<typeof Point.fromBytes>;

/** The order of P-256's group, RFC 9382's p. P-256's cofactor h is 1, so "h*x*(...)" is just "x*(...)". */
export const GROUP_ORDER = Point.Fn.ORDER;
const SCALAR_LENGTH = 32;

/**
 * RFC 9382 section 6, P-256 (SEC1 compressed). Generated from public seeds by the RFC's appendix "Algorithm used
 * for Point Generation", so nobody knows their discrete logarithms; spake2.test.ts re-derives them from the seeds.
 */
export const M_HEX = '02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f';
export const N_HEX = '03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49';
// Every exchange multiplies M and N by w: tables for both (about 6 times faster) keep a hub's exchanges cheap.
const M = Point.fromHex(M_HEX).precompute(8);
const N = Point.fromHex(N_HEX).precompute(8);

/** pA and pB travel as SEC1 uncompressed points, as in the RFC's vectors; one encoding per point, nothing else. */
export const SHARE_LENGTH = 65;
const UNCOMPRESSED_PREFIX = 0x04;

const CONFIRMATION_KEYS_INFO = utf8ToBytes('ConfirmationKeys');
/** Ke and Ka are the halves of SHA-256(TT); KcA and KcB the halves of HKDF's 32 bytes. */
const HALF = 16;

export type Spake2Role = 'A' | 'B';

export const Spake2ErrorCode = {
  /** The peer's pA/pB is not an uncompressed point on P-256. */
  INVALID_SHARE: 'SPAKE2_INVALID_SHARE',
  /** A share or the shared element K is the group's identity (neutral) element. */
  IDENTITY_ELEMENT: 'SPAKE2_IDENTITY_ELEMENT',
  /** w or the ephemeral scalar is outside [1, p). */
  INVALID_SCALAR: 'SPAKE2_INVALID_SCALAR',
  /** finish() called twice: one exchange tests one password guess, never more. */
  ALREADY_FINISHED: 'SPAKE2_ALREADY_FINISHED',
  /** codePake.ts: a hub identity that is not 52 base32 characters, or an empty device key. */
  INVALID_IDENTITY: 'SPAKE2_INVALID_IDENTITY',
  /** codePake.ts: an empty code. */
  EMPTY_PASSWORD: 'SPAKE2_EMPTY_PASSWORD',
} as const;
export type Spake2ErrorCode = (typeof Spake2ErrorCode)[keyof typeof Spake2ErrorCode];

export class Spake2Error extends Error {
  constructor(
    readonly code: Spake2ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'Spake2Error';
  }
}

export interface Spake2Input {
  role: Spake2Role;
  /** w = MHF(pw) mod p, in [1, p). */
  w: bigint;
  /** Identity of A, as bytes; RFC 9382 allows empty only where identities are implicit. */
  idA: Uint8Array;
  /** Identity of B, as bytes. */
  idB: Uint8Array;
  /** Additional authenticated data, mixed into the confirmation keys only (RFC 9382 section 4). */
  aad?: Uint8Array;
}

export interface Spake2Result {
  /** Ke: the protocol's output. Use it only after verifyPeerConfirmation() accepted the peer's MAC. */
  readonly sharedKey: Uint8Array;
  /** Our confirmation MAC to send: cA = MAC(KcA, TT) for A, cB = MAC(KcB, TT) for B. */
  readonly confirmation: Uint8Array;
  /** Constant-time check of the peer's confirmation MAC (cB for A, cA for B). */
  verifyPeerConfirmation(mac: Uint8Array): boolean;
  /** The transcript TT and the confirmation keys and MACs of both sides: for known-answer tests, never the wire. */
  readonly transcript: Uint8Array;
  readonly confirmationKeyA: Uint8Array;
  readonly confirmationKeyB: Uint8Array;
  readonly confirmationA: Uint8Array;
  readonly confirmationB: Uint8Array;
}

export interface Spake2Session {
  /** pA for A, pB for B: send it to the peer. */
  readonly share: Uint8Array;
  /** Takes the peer's share; once only. Throws Spake2Error for an invalid share or an identity element. */
  finish(peerShare: Uint8Array): Spake2Result;
}

/** Starts one exchange with a fresh uniformly random ephemeral scalar (x for A, y for B). */
export function startSpake2(input: Spake2Input): Spake2Session {
  return startSpake2WithScalar(input, bytesToNumberBE(p256.utils.randomSecretKey()));
}

/** As startSpake2, with the ephemeral scalar given: only known-answer tests may choose it. */
export function startSpake2WithScalar(input: Spake2Input, scalar: bigint): Spake2Session {
  requireScalar('w', input.w);
  requireScalar('the ephemeral scalar', scalar);
  const own = input.role === 'A' ? M : N;
  const peer = input.role === 'A' ? N : M;
  // pA = x*P + w*M, pB = y*P + w*N (RFC 9382 section 3.3).
  const sharePoint = Point.BASE.multiply(scalar).add(own.multiply(input.w));
  if (sharePoint.is0()) throw identityError('our own share');
  const share = sharePoint.toBytes(false);
  let finished = false;
  return {
    share,
    finish(peerShare) {
      if (finished) throw new Spake2Error(Spake2ErrorCode.ALREADY_FINISHED, 'this SPAKE2 exchange already finished');
      finished = true;
      const peerPoint = decodeShare(peerShare);
      // K = h*x*(pB - w*N) for A, h*y*(pA - w*M) for B; h = 1 on P-256.
      const unmasked = peerPoint.subtract(peer.multiply(input.w));
      if (unmasked.is0()) throw identityError("the peer's share minus its password mask");
      const K = unmasked.multiply(scalar);
      const [pA, pB] = input.role === 'A' ? [share, peerShare] : [peerShare, share];
      return keySchedule(input, pA, pB, K.toBytes(false));
    },
  };
}

/** Strict decoding of a peer's pA/pB: 65 bytes, prefix 04, on the curve, not the identity. */
function decodeShare(bytes: Uint8Array): P256Point {
  if (bytes.length !== SHARE_LENGTH || bytes[0] !== UNCOMPRESSED_PREFIX) {
    const prefix = bytes.length > 0 ? bytes[0]!.toString(16).padStart(2, '0') : 'none';
    throw new Spake2Error(
      Spake2ErrorCode.INVALID_SHARE,
      `a SPAKE2 share must be an uncompressed P-256 point (${SHARE_LENGTH} bytes starting 04), ` +
        `got ${bytes.length} bytes starting ${prefix}`,
    );
  }
  let point: P256Point;
  try {
    point = Point.fromBytes(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Spake2Error(Spake2ErrorCode.INVALID_SHARE, `the SPAKE2 share is not a point on P-256 (${reason})`);
  }
  // An uncompressed encoding cannot name the identity, but a future decoder might: keep the check.
  if (point.is0()) throw identityError("the peer's share");
  return point;
}

/** RFC 9382 sections 3.3 and 4: TT, Hash(TT) = Ke || Ka, KDF(Ka, nil, "ConfirmationKeys" || AAD) = KcA || KcB. */
function keySchedule(input: Spake2Input, pA: Uint8Array, pB: Uint8Array, K: Uint8Array): Spake2Result {
  const w = numberToBytesBE(input.w, SCALAR_LENGTH);
  const transcript = concatBytes(...[input.idA, input.idB, pA, pB, K, w].flatMap(lengthPrefixed));
  const digest = sha256(transcript);
  const sharedKey = digest.slice(0, HALF);
  const ka = digest.slice(HALF);
  const info = concatBytes(CONFIRMATION_KEYS_INFO, input.aad ?? new Uint8Array());
  const confirmationKeys = hkdf(sha256, ka, undefined, info, 2 * HALF);
  const confirmationKeyA = confirmationKeys.slice(0, HALF);
  const confirmationKeyB = confirmationKeys.slice(HALF);
  const confirmationA = hmac(sha256, confirmationKeyA, transcript);
  const confirmationB = hmac(sha256, confirmationKeyB, transcript);
  const [ours, expected] = input.role === 'A' ? [confirmationA, confirmationB] : [confirmationB, confirmationA];
  return {
    sharedKey,
    confirmation: ours,
    // equalBytes compares every byte whatever it finds (no early exit); a wrong length is public anyway.
    verifyPeerConfirmation: (mac) => equalBytes(mac, expected),
    transcript,
    confirmationKeyA,
    confirmationKeyB,
    confirmationA,
    confirmationB,
  };
}

/** len(X) || X with len as 8 bytes little-endian, as RFC 9382's vectors encode it. */
function lengthPrefixed(bytes: Uint8Array): Uint8Array[] {
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(bytes.length), true);
  return [length, bytes];
}

function requireScalar(name: string, value: bigint): void {
  if (value > 0n && value < GROUP_ORDER) return;
  // The value stays out of the message: w is derived from the password.
  throw new Spake2Error(Spake2ErrorCode.INVALID_SCALAR, `SPAKE2 needs ${name} in [1, p)`);
}

function identityError(what: string): Spake2Error {
  return new Spake2Error(Spake2ErrorCode.IDENTITY_ELEMENT, `${what} is the identity element of P-256`);
}
