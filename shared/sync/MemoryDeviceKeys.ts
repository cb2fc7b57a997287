import { p256 } from '@noble/curves/nist.js';
import { concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { toBase64url } from '../util/base64url';
import type { DeviceKey, DeviceKeyStore } from './deviceKeys';

/** The fixed DER header of a P-256 SubjectPublicKeyInfo, before its 65-byte uncompressed point. */
const P256_SPKI_PREFIX = hexToBytes('3059301306072a8648ce3d020106082a8648ce3d030107034200');

/** A P-256 key in memory, from @noble/curves: for tests and tools; it is gone when the process ends. */
export function memoryDeviceKey(secretKey: Uint8Array = p256.utils.randomSecretKey()): DeviceKey {
  const publicKey = toBase64url(concatBytes(P256_SPKI_PREFIX, p256.getPublicKey(secretKey, false)));
  // prehash: ECDSA over SHA-256 of the data; 'compact' is r then s, as WebCrypto signs.
  return { publicKey, sign: (data) => Promise.resolve(p256.sign(data, secretKey, { prehash: true })) };
}

/** Keeps one device's key in memory (MemoryStorage's counterpart). */
export class MemoryDeviceKeys implements DeviceKeyStore {
  private key: DeviceKey | undefined;

  load(): Promise<DeviceKey> {
    this.key ??= memoryDeviceKey();
    return Promise.resolve(this.key);
  }

  renew(): Promise<DeviceKey> {
    this.key = memoryDeviceKey();
    return Promise.resolve(this.key);
  }

  forget(): Promise<void> {
    this.key = undefined;
    return Promise.resolve();
  }
}
