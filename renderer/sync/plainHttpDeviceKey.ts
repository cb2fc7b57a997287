import { p256 } from '@noble/curves/nist.js';
import { z } from 'zod';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import type { KeyKind } from './webCryptoDeviceKeys';

/**
 * The device's key on a page that is not a secure context: a hub's page over plain HTTP from the LAN
 * (--allow-plain-http). Browsers give such a page no WebCrypto (crypto.subtle and CryptoKey are missing), so the
 * key is a P-256 secret from @noble/curves, stored as its 32 raw bytes in the same `deviceKeys` row.
 *
 * Unlike the WebCrypto key, this secret is extractable: any script of this origin can read it out of IndexedDB.
 * That is acceptable here only, where it takes nothing away: on plain HTTP anyone on the network path can inject
 * script into the page itself, which could then sign with any key, or read the messages directly. The hub's owner
 * chose no transport protection, and the page says so ("Not encrypted": renderer/chat/pageSecurity.ts). Secure
 * contexts never use it (webCryptoDeviceKeys.ts picks by crypto.subtle).
 */
export const StoredSecretSchema = z.object({
  secretKey: z.instanceof(Uint8Array).refine((key) => key.length === 32 && p256.utils.isValidSecretKey(key)),
});
export type StoredSecret = z.infer<typeof StoredSecretSchema>;

export const plainHttpKeys: KeyKind<StoredSecret> = {
  stored: StoredSecretSchema,
  // crypto.getRandomValues, which noble draws from, is there in every context, secure or not.
  generate: () => Promise.resolve({ secretKey: p256.utils.randomSecretKey() }),
  // A copy: the row must not change if the caller's array does.
  adopt: (secretKey) => Promise.resolve({ secretKey: Uint8Array.from(secretKey) }),
  use: ({ secretKey }) => Promise.resolve(memoryDeviceKey(secretKey)),
};
