import { p256 } from '@noble/curves/nist.js';
import type { IDBPDatabase } from 'idb';
import { z } from 'zod';
import type { DeviceKey, DeviceKeyStore } from '../../shared/sync/deviceKeys';
import { toBase64url } from '../../shared/util/base64url';
import type { RoostDb, StoredDeviceKey } from './IndexedDbStorage';
import { plainHttpKeys } from './plainHttpDeviceKey';

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** The one row of the `deviceKeys` store. */
const SLOT = 'device';

/** One way to make, keep and use the device's key: what its row holds, how to make one, how to sign with it. */
export interface KeyKind<Stored extends StoredDeviceKey> {
  /** What a stored row must be to be used: anything else is replaced by a new key (it could not sign anyway). */
  readonly stored: z.ZodType<Stored>;
  generate(): Promise<Stored>;
  /** The row for a valid P-256 secret made elsewhere: the key of a device moved from the http origin. */
  adopt(secretKey: Uint8Array): Promise<Stored>;
  use(stored: Stored): Promise<DeviceKey>;
}

export interface DeviceKeysOptions {
  /**
   * WebCrypto; default globalThis.crypto.subtle. Without it (a page that is not a secure context) the key is
   * plainHttpDeviceKey.ts's; tests pass `subtle: undefined` to be such a page.
   */
  subtle?: SubtleCrypto | undefined;
}

/**
 * The device's key in browsers and the desktop app's renderer: a WebCrypto ECDSA P-256 pair made
 * non-extractable and kept in the hub's IndexedDB database (IndexedDbStorage.deviceKeys()). Scripts of this
 * origin can sign with it, but none, ours included, can read the private key out, so Roost never carries it to
 * another origin. A page without WebCrypto (plain HTTP from the LAN) keeps an extractable key in the same row
 * instead, and only there: plainHttpDeviceKey.ts says why. That raw secret is what a device moved from the http
 * origin (renderer/migration/) brings: adopt() stores it here as a non-extractable key.
 */
export class WebCryptoDeviceKeys implements DeviceKeyStore {
  private readonly kind: KeyKind<StoredDeviceKey>;
  /** The current key, so concurrent load() calls share one read (and one new key, if there is none). */
  private current: Promise<DeviceKey> | undefined;
  /** Each operation starts after the previous one ended, so a forget() is never undone by a load() under way. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: IDBPDatabase<RoostDb>,
    options: DeviceKeysOptions = {},
  ) {
    // `in`, not a default value: an explicit `subtle: undefined` means "no WebCrypto here".
    const subtle = 'subtle' in options ? options.subtle : globalThis.crypto?.subtle;
    // Whenever WebCrypto exists, its non-extractable key and nothing else: a stored raw secret is replaced.
    this.kind = subtle ? webCryptoKeys(subtle) : plainHttpKeys;
  }

  load(): Promise<DeviceKey> {
    return this.current ?? this.remember(this.serial(() => this.storedOrNew()));
  }

  renew(): Promise<DeviceKey> {
    return this.remember(
      this.serial(async () => {
        const made = await this.kind.generate();
        await this.db.put('deviceKeys', made, SLOT);
        return this.kind.use(made);
      }),
    );
  }

  /**
   * Makes `secretKey` (a P-256 secret, as a page without WebCrypto keeps it) this device's key, replacing the stored
   * one: where WebCrypto exists it is imported non-extractable, so from here on it is kept like a key made here.
   * Rejects a secret that is no P-256 key, storing nothing.
   */
  adopt(secretKey: Uint8Array): Promise<DeviceKey> {
    return this.remember(
      this.serial(async () => {
        // Checked like a stored row before it is stored: what adopt() makes must be what load() takes.
        const made = this.kind.stored.parse(await this.kind.adopt(secretKey));
        await this.db.put('deviceKeys', made, SLOT);
        return this.kind.use(made);
      }),
    );
  }

  forget(): Promise<void> {
    this.current = undefined;
    return this.serial(() => this.db.delete('deviceKeys', SLOT));
  }

  private async storedOrNew(): Promise<DeviceKey> {
    const stored = this.kind.stored.safeParse(await this.db.get('deviceKeys', SLOT));
    if (stored.success) return this.kind.use(stored.data);
    const made = await this.kind.generate();
    // Another tab on this hub may have stored a key while this one was made: the first one stored wins, so
    // every tab signs with the key the hub will know. A readwrite transaction makes the check and put atomic.
    const tx = this.db.transaction('deviceKeys', 'readwrite');
    const raced = this.kind.stored.safeParse(await tx.store.get(SLOT));
    if (!raced.success) await tx.store.put(made, SLOT);
    await tx.done;
    return this.kind.use(raced.success ? raced.data : made);
  }

  /** Makes `key` the current one; a failure is not remembered, so the next load() reads the store again. */
  private remember(key: Promise<DeviceKey>): Promise<DeviceKey> {
    this.current = key;
    key.catch(() => {
      if (this.current === key) this.current = undefined;
    });
    return key;
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/**
 * The WebCrypto kind. Made only where WebCrypto exists: `CryptoKey` is missing, like crypto.subtle, from a page
 * that is not a secure context, so its schema cannot be built at module load.
 */
function webCryptoKeys(subtle: SubtleCrypto): KeyKind<CryptoKeyPair> {
  const isP256 = (key: CryptoKey): boolean =>
    key.algorithm.name === KEY_ALGORITHM.name &&
    (key.algorithm as EcKeyAlgorithm).namedCurve === KEY_ALGORITHM.namedCurve;
  const stored = z.object({
    privateKey: z.instanceof(CryptoKey).refine((k) => k.type === 'private' && isP256(k) && k.usages.includes('sign')),
    publicKey: z.instanceof(CryptoKey).refine((k) => k.type === 'public' && isP256(k)),
  });
  return {
    stored,
    // extractable=false applies to the private key only: the public key of a generated pair is always exportable.
    generate: () => subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']),
    adopt: async (secretKey) => {
      const { d, x, y } = p256Jwk(secretKey);
      const publicJwk = { kty: 'EC', crv: KEY_ALGORITHM.namedCurve, x, y };
      return {
        privateKey: await subtle.importKey('jwk', { ...publicJwk, d }, KEY_ALGORITHM, false, ['sign']),
        // Extractable like a generated pair's public key: use() sends its SPKI to the hub.
        publicKey: await subtle.importKey('jwk', publicJwk, KEY_ALGORITHM, true, ['verify']),
      };
    },
    use: async ({ privateKey, publicKey }) => {
      const spki = new Uint8Array(await subtle.exportKey('spki', publicKey));
      return {
        publicKey: toBase64url(spki),
        // WebCrypto's ECDSA signature is already r then s (IEEE P1363), the form the protocol sends. The copy:
        // WebCrypto takes no view of a SharedArrayBuffer, which `Uint8Array` in general may be.
        sign: async (data) => new Uint8Array(await subtle.sign(SIGNATURE_ALGORITHM, privateKey, new Uint8Array(data))),
      };
    },
  };
}

/**
 * A P-256 secret's JWK coordinates (RFC 7518 6.2): d is the secret, x and y its public point's, each 32 bytes as
 * unpadded base64url. WebCrypto imports a raw private key only as JWK or PKCS#8, and JWK needs no DER. Throws for a
 * secret that is no P-256 key (zero, or not below the curve's order).
 */
function p256Jwk(secretKey: Uint8Array): { d: string; x: string; y: string } {
  // Uncompressed SEC1: 0x04, then x, then y.
  const point = p256.getPublicKey(secretKey, false);
  return { d: toBase64url(secretKey), x: toBase64url(point.subarray(1, 33)), y: toBase64url(point.subarray(33, 65)) };
}
