import { z } from 'zod';
import { base64urlLength } from '../util/base64url';

/**
 * Protocol 2's device keys and the texts they sign (PROTOCOL.md 6). A device holds an ECDSA P-256 key; the hub keeps
 * only its public key. Each connection's `welcome` carries a fresh challenge, and the device proves its key by
 * signing the challenge together with the hub's identity: a recorded signature is worthless on any other connection
 * and to any other hub.
 */

/** Bytes of each value; on the wire each is unpadded base64url (shared/util/base64url.ts). */
export const DEVICE_PROOF_BYTES = {
  challenge: 32,
  /** SubjectPublicKeyInfo DER of a P-256 public key (uncompressed point). */
  publicKey: 91,
  /** ECDSA over SHA-256 in IEEE P1363 form: r then s, 32 bytes each (WebCrypto's own form). */
  signature: 64,
  /** A SPAKE2 share: a SEC1 uncompressed P-256 point. */
  pakeShare: 65,
  /** A SPAKE2 key confirmation: HMAC-SHA-256. */
  pakeConfirm: 32,
} as const;

const base64urlOf = (bytes: number, what: string) => {
  const length = base64urlLength(bytes);
  return z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9_-]{${length}}$`), `must be ${length} characters of base64url`)
    .describe(`${what}: ${bytes} bytes as unpadded base64url (${length} characters).`);
};

export const ChallengeSchema = base64urlOf(DEVICE_PROOF_BYTES.challenge, 'A fresh random challenge');
export const DevicePublicKeySchema = base64urlOf(
  DEVICE_PROOF_BYTES.publicKey,
  "The device's ECDSA P-256 public key as SubjectPublicKeyInfo DER",
);
export const DeviceSignatureSchema = base64urlOf(
  DEVICE_PROOF_BYTES.signature,
  'An ECDSA P-256 SHA-256 signature, r then s (IEEE P1363)',
);
export const PakeShareSchema = base64urlOf(DEVICE_PROOF_BYTES.pakeShare, 'A SPAKE2 share (SEC1 uncompressed point)');
export const PakeConfirmSchema = base64urlOf(DEVICE_PROOF_BYTES.pakeConfirm, 'A SPAKE2 key confirmation MAC');

/** What `auth` signs: this device, on this connection (the challenge), to this hub. */
export function authProofText(hubIdentity: string, challenge: string, deviceId: string): string {
  return `roost-auth-v2\n${hubIdentity}\n${challenge}\n${deviceId}`;
}

/** What pairing signs: possession of the key being registered, on this connection, with this hub. */
export function pairProofText(hubIdentity: string, challenge: string, publicKey: string): string {
  return `roost-pair-v2\n${hubIdentity}\n${challenge}\n${publicKey}`;
}

/** SPAKE2's additional data: the exchange's confirmations hold only on this connection. */
export function pakeAadText(challenge: string): string {
  return `roost-pake-v2\n${challenge}`;
}

/** A link code's first characters name it, so the hub knows which code keys the exchange; the rest is secret. */
export const LINK_CODE_HANDLE_LENGTH = 2;
export const LINK_CODE_HANDLE_PATTERN = /^[A-Z0-9]{2}$/;
