import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ErrorCode } from '../../shared/protocol';
import { fromBase64url } from '../../shared/util/base64url';
import { HubError } from './HubError';

/** SubjectPublicKeyInfo of id-ecPublicKey on prime256v1, then the uncompressed point's 04. */
const P256_SPKI_HEADER = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d03010703420004', 'hex');

/**
 * A device's public key as the hub accepts it: SubjectPublicKeyInfo DER of an ECDSA P-256 key, nothing else
 * (PROTOCOL.md 6.2). Checked before it is stored, so every stored key verifies later.
 */
export function parseDevicePublicKey(publicKey: string): KeyObject {
  const der = fromBase64url(publicKey);
  let key: KeyObject | undefined;
  try {
    key = der && createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch {
    key = undefined;
  }
  // One spelling: the named curve and an uncompressed point (OpenSSL also takes a hybrid one, 06/07, same length).
  const canonical = der !== undefined && Buffer.from(der).subarray(0, P256_SPKI_HEADER.length).equals(P256_SPKI_HEADER);
  if (!canonical || key?.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new HubError(ErrorCode.DEVICE_KEY_INVALID, 'publicKey must be an ECDSA P-256 key as SubjectPublicKeyInfo.');
  }
  return key;
}

/** Whether `signature` (r then s, base64url) is the key's ECDSA P-256 SHA-256 signature of `text`. */
export function verifiesDeviceSignature(key: KeyObject, text: string, signature: string): boolean {
  const bytes = fromBase64url(signature);
  if (!bytes) return false;
  return verify('sha256', Buffer.from(text, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, bytes);
}

/** Proof that the device holds the key it registers (pair, pakeFinish): else DEVICE_KEY_INVALID. */
export function requireKeyPossession(publicKey: string, text: string, signature: string): void {
  if (verifiesDeviceSignature(parseDevicePublicKey(publicKey), text, signature)) return;
  throw new HubError(
    ErrorCode.DEVICE_KEY_INVALID,
    "The signature does not verify with publicKey: sign the pairing proof with the device's key (6.2).",
  );
}
