import { p256 } from '@noble/curves/nist.js';
import { openDB } from 'idb';
import { afterEach, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { fromBase64url } from '../../shared/util/base64url';
import { openIndexedDbStorage, type IndexedDbStorage } from '../sync/IndexedDbStorage';
import { importMigration } from './importMigration';

/**
 * In Chromium, what the node tests cannot show: the moved secret becomes a WebCrypto key that Chromium's own
 * IndexedDB keeps non-extractable, as webCryptoDeviceKeys.ts keeps the keys it makes.
 */

const opened: IndexedDbStorage[] = [];
const names: string[] = [];

afterEach(async () => {
  for (const storage of opened.splice(0)) storage.close();
  for (const name of names.splice(0))
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
    });
});

async function open(name: string): Promise<IndexedDbStorage> {
  const storage = await openIndexedDbStorage(name);
  opened.push(storage);
  return storage;
}

it('stores a moved raw secret as a non-extractable key that signs as the key the hub knows', async () => {
  const name = `roost-import-${crypto.randomUUID()}`;
  names.push(name);
  const secretKey = p256.utils.randomSecretKey();
  const data = {
    credentials: { hubId: 'hub-1', userId: 'usr-1', deviceId: 'dev-1' },
    snapshot: null,
    outbox: [],
    ranges: [],
    messages: [],
    deviceKey: { secretKey },
  };
  const storage = await open(name);

  expect(await importMigration(storage, storage.deviceKeys(), data)).toEqual({ ok: true, pending: 0 });
  storage.close();

  const db = await openDB(name);
  const row = (await db.get('deviceKeys', 'device')) as CryptoKeyPair;
  db.close();
  expect(row.privateKey).toBeInstanceOf(CryptoKey);
  expect(row.privateKey.extractable).toBe(false);
  await expect(crypto.subtle.exportKey('pkcs8', row.privateKey)).rejects.toThrow();
  const key = await (await open(name)).deviceKeys().load();
  expect(key.publicKey).toBe(memoryDeviceKey(secretKey).publicKey);
  const proof = new TextEncoder().encode('roost-auth-v2\nhub\nchallenge\ndev-1');
  const spki = new Uint8Array(fromBase64url(key.publicKey)!);
  const verifier = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
  const signature = new Uint8Array(await key.sign(proof));
  expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, verifier, signature, proof)).toBe(true);
});
