/**
 * The device's own key (protocol 2): the hub keeps only its public half, and every connection proves possession by
 * signing that connection's challenge (PROTOCOL.md 6.6). Where the private half lives is the platform's business:
 * a non-extractable WebCrypto key in IndexedDB in browsers and the desktop app (renderer/sync/webCryptoDeviceKeys.ts),
 * memory in tests (MemoryDeviceKeys.ts).
 */
export interface DeviceKey {
  /** SubjectPublicKeyInfo DER of the ECDSA P-256 public key, unpadded base64url: what the hub stores. */
  readonly publicKey: string;
  /** ECDSA P-256 over SHA-256 of `data`, as r then s (IEEE P1363, 64 bytes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface DeviceKeyStore {
  /** This device's key for the hub, made on first use and the same on every later call until forget(). */
  load(): Promise<DeviceKey>;
  /** A key that was never used with the hub, replacing the stored one: pairing anew gets a new key. */
  renew(): Promise<DeviceKey>;
  /** Forgets the key (the device was unpaired). */
  forget(): Promise<void>;
}
