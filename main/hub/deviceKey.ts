import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ErrorCode } from '../../shared/protocol';
import { fromBase64url } from '../../shared/util/base64url';
import { HubError } from './HubError';

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
  if (key?.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
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
