import { p256 } from '@noble/curves/nist.js';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredCredentials, StoredOutboxEntry } from '../../shared/sync/storage';
import { fromBase64url } from '../../shared/util/base64url';
import { DB_VERSION, openIndexedDbStorage, type IndexedDbStorage, type RoostDb } from './IndexedDbStorage';
import { WebCryptoDeviceKeys } from './webCryptoDeviceKeys';

/**
 * In Chromium, for what only a real browser has: WebCrypto keys that are non-extractable, structured-cloned
 * into IndexedDB and back. Each test has databases of its own.
 */

const opened: { close(): void }[] = [];
const names: string[] = [];

function newName(): string {
  const name = `roost-keys-${crypto.randomUUID()}`;
  names.push(name);
  return name;
}

async function open(name: string): Promise<IndexedDbStorage> {
  const storage = await openIndexedDbStorage(name);
  opened.push(storage);
  return storage;
}

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const storage of opened.splice(0)) storage.close();
  for (const name of names.splice(0)) await deleteDatabase(name);
});

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
  });
}

/** The `deviceKeys` row as stored, read past the class under test. */
async function storedPair(name: string): Promise<CryptoKeyPair | undefined> {
  return (await storedRow(name)) as CryptoKeyPair | undefined;
}

async function storedRow(name: string): Promise<unknown> {
  const db = await openDB(name);
  try {
    return await db.get('deviceKeys', 'device');
  } finally {
    db.close();
  }
}

async function putRow(name: string, row: unknown): Promise<void> {
  (await openIndexedDbStorage(name)).close();
  const db = await openDB(name);
  try {
    await db.put('deviceKeys', row, 'device');
  } finally {
    db.close();
  }
}

/** The device keys of database `name` (made at the current version) on a page without WebCrypto. */
async function plainHttpKeys(name: string): Promise<WebCryptoDeviceKeys> {
  (await openIndexedDbStorage(name)).close();
  const db: IDBPDatabase<RoostDb> = await openDB<RoostDb>(name);
  opened.push(db);
  return new WebCryptoDeviceKeys(db, { subtle: undefined });
}

async function verifies(publicKey: string, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const spki = new Uint8Array(fromBase64url(publicKey)!);
  const key = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(signature), new Uint8Array(data));
}

const text = (s: string) => new TextEncoder().encode(s);

describe('WebCryptoDeviceKeys', () => {
  it('keeps one key across a close and reopen of the database, with a P-256 SPKI public key', async () => {
    const name = newName();
    const first = await open(name);
    const made = await first.deviceKeys().load();
    first.close();

    const again = await (await open(name)).deviceKeys().load();

    expect(again.publicKey).toBe(made.publicKey);
    expect(made.publicKey).toMatch(/^[A-Za-z0-9_-]{122}$/);
    expect(fromBase64url(made.publicKey)).toHaveLength(91);
  });

  it('stores a private key that cannot be exported', async () => {
    const name = newName();
    await (await open(name)).deviceKeys().load();

    const pair = await storedPair(name);

    expect(pair?.privateKey).toBeInstanceOf(CryptoKey);
    expect(pair!.privateKey.extractable).toBe(false);
    expect(pair!.privateKey.usages).toEqual(['sign']);
    await expect(crypto.subtle.exportKey('pkcs8', pair!.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', pair!.privateKey)).rejects.toThrow();
  });

  it('signs in r||s form, verifiable with the public key it gives the hub, also after a reopen', async () => {
    const name = newName();
    const first = await open(name);
    const key = await first.deviceKeys().load();
    const data = text('roost-auth-v2\nhub\nchallenge\ndev-1');

    const signature = await key.sign(data);
    first.close();
    const later = await (await (await open(name)).deviceKeys().load()).sign(data);

    expect(signature).toBeInstanceOf(Uint8Array);
    expect(signature).toHaveLength(64);
    expect(await verifies(key.publicKey, signature, data)).toBe(true);
    expect(await verifies(key.publicKey, later, data)).toBe(true);
    expect(await verifies(key.publicKey, signature, text('roost-auth-v2\nhub\nchallenge\ndev-2'))).toBe(false);
  });

  it('gives concurrent loads one key, in one tab and across two tabs on the same hub', async () => {
    const name = newName();
    const [tabA, tabB] = await Promise.all([open(name), open(name)]);

    const keys = await Promise.all([
      tabA.deviceKeys().load(),
      tabA.deviceKeys().load(),
      tabB.deviceKeys().load(),
      tabB.deviceKeys().load(),
    ]);

    expect(new Set(keys.map((k) => k.publicKey)).size).toBe(1);
    const stored = await storedPair(name);
    expect(stored).toBeDefined();
    expect(await verifies(keys[0]!.publicKey, await keys[2]!.sign(text('x')), text('x'))).toBe(true);
  });

  it('renews to a different key, which later loads and reopens keep', async () => {
    const name = newName();
    const storage = await open(name);
    const old = await storage.deviceKeys().load();

    const renewed = await storage.deviceKeys().renew();

    expect(renewed.publicKey).not.toBe(old.publicKey);
    expect((await storage.deviceKeys().load()).publicKey).toBe(renewed.publicKey);
    storage.close();
    expect((await (await open(name)).deviceKeys().load()).publicKey).toBe(renewed.publicKey);
  });

  it('forgets the key, in memory and in the database; the next load makes a new one', async () => {
    const name = newName();
    const storage = await open(name);
    const old = await storage.deviceKeys().load();

    await storage.deviceKeys().forget();

    expect(await storedPair(name)).toBeUndefined();
    const next = await storage.deviceKeys().load();
    expect(next.publicKey).not.toBe(old.publicKey);
    expect(await storedPair(name)).toBeDefined();
  });

  it('stays forgotten when forget() comes while the first load is still making the key', async () => {
    const name = newName();
    const keys = (await open(name)).deviceKeys();

    const loading = keys.load();
    await keys.forget();
    await loading;

    expect(await storedPair(name)).toBeUndefined();
  });

  it('keeps the key when the sync client clears its storage (it forgets the key itself)', async () => {
    const name = newName();
    const storage = await open(name);
    const key = await storage.deviceKeys().load();

    await storage.clear();
    storage.close();

    expect((await (await open(name)).deviceKeys().load()).publicKey).toBe(key.publicKey);
  });

  it('stores only the non-extractable pair where WebCrypto exists, also after a renew', async () => {
    const name = newName();
    const keys = (await open(name)).deviceKeys();

    await keys.load();
    const loaded = await storedRow(name);
    await keys.renew();
    const renewed = await storedRow(name);

    for (const row of [loaded, renewed]) {
      expect(Object.keys(row as object).sort()).toEqual(['privateKey', 'publicKey']);
      expect(Object.values(row as object).every((v) => v instanceof CryptoKey)).toBe(true);
    }
  });

  it('replaces a raw secret found where WebCrypto exists by a non-extractable key', async () => {
    const name = newName();
    const plain = await (await plainHttpKeys(name)).load();

    const key = await (await open(name)).deviceKeys().load();

    expect(key.publicKey).not.toBe(plain.publicKey);
    const pair = await storedPair(name);
    expect(pair).not.toHaveProperty('secretKey');
    expect(pair!.privateKey.extractable).toBe(false);
  });
});

describe('WebCryptoDeviceKeys on a page without WebCrypto (plain HTTP from the LAN)', () => {
  it('keeps one P-256 key across a reopen, whose signatures verify with the public key it gives', async () => {
    const name = newName();
    const key = await (await plainHttpKeys(name)).load();
    const data = text('roost-pair-v2\nhub\nchallenge\nkey');
    const signature = await key.sign(data);
    for (const db of opened.splice(0)) db.close();

    const again = await (await plainHttpKeys(name)).load();

    expect(again.publicKey).toBe(key.publicKey);
    expect(fromBase64url(key.publicKey)).toHaveLength(91);
    expect(signature).toHaveLength(64);
    expect(await verifies(key.publicKey, signature, data)).toBe(true);
    expect(await verifies(key.publicKey, await again.sign(data), data)).toBe(true);
    expect(await verifies(key.publicKey, signature, text('other'))).toBe(false);
    const row = (await storedRow(name)) as { secretKey: Uint8Array };
    expect(Object.keys(row)).toEqual(['secretKey']);
    expect(row.secretKey).toHaveLength(32);
  });

  it('renews to a different key and forgets it, like the WebCrypto key', async () => {
    const name = newName();
    const keys = await plainHttpKeys(name);
    const old = await keys.load();

    const renewed = await keys.renew();
    expect(renewed.publicKey).not.toBe(old.publicKey);
    expect((await keys.load()).publicKey).toBe(renewed.publicKey);

    await keys.forget();
    expect(await storedRow(name)).toBeUndefined();
  });

  it('is what a page without crypto.subtle and CryptoKey gets by default', async () => {
    const name = newName();
    const storage = await open(name);
    const real = globalThis.crypto;
    // What such a page has: crypto.getRandomValues, but neither crypto.subtle nor the CryptoKey interface.
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) });
    vi.stubGlobal('CryptoKey', undefined);

    const key = await storage.deviceKeys().load();

    vi.unstubAllGlobals();
    expect(await storedRow(name)).toHaveProperty('secretKey');
    expect(await verifies(key.publicKey, await key.sign(text('x')), text('x'))).toBe(true);
  });

  const unusable: [string, (name: string) => Promise<unknown>][] = [
    ['a WebCrypto pair, which it cannot sign with', async (name) => (await open(name)).deviceKeys().load()],
    ['a secret of 31 bytes', (name) => putRow(name, { secretKey: new Uint8Array(31).fill(1) })],
    ['a secret of zero, not a P-256 key', (name) => putRow(name, { secretKey: new Uint8Array(32) })],
    ['the order of the curve, not a P-256 key', (name) => putRow(name, { secretKey: curveOrder() })],
    ['a secret as text', (name) => putRow(name, { secretKey: 'AAAA' })],
  ];

  it.each(unusable)('replaces %s by a new key', async (_, store) => {
    const name = newName();
    await store(name);

    const key = await (await plainHttpKeys(name)).load();

    const row = (await storedRow(name)) as { secretKey: Uint8Array };
    expect(p256.utils.isValidSecretKey(row.secretKey)).toBe(true);
    expect(await verifies(key.publicKey, await key.sign(text('x')), text('x'))).toBe(true);
  });
});

/** n, the order of P-256: 32 bytes that are no valid secret. */
function curveOrder(): Uint8Array {
  return Uint8Array.from(p256.Point.CURVE().n.toString(16).match(/../g)!, (h) => parseInt(h, 16));
}

describe('IndexedDbStorage upgrade to version 2', () => {
  const credentials: StoredCredentials = {
    hubId: 'hub-0000000000000000001',
    userId: 'usr-000000000000000001',
    deviceId: 'dev-0000000000000000001',
    token: 't0k3n',
  };
  const unsent: StoredOutboxEntry = {
    clientMsgId: 'client-msg-00000000001',
    conversationId: 'cnv-000000000000000001',
    text: 'not sent yet',
    createdAt: 1_700_000_000_000,
    order: 1,
  };

  it('keeps a version-1 database’s device and outbox, and adds the key store', async () => {
    const name = newName();
    // Version 1 as it shipped (IndexedDbStorage.ts before protocol 2).
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('kv');
        database.createObjectStore('ranges', { keyPath: 'conversationId' });
        database.createObjectStore('messages', { keyPath: ['conversationId', 'seq'] });
        database.createObjectStore('outbox', { keyPath: 'clientMsgId' });
      },
    });
    await v1.put('kv', credentials, 'credentials');
    await v1.put('outbox', unsent);
    v1.close();

    const storage = await open(name);

    expect(await storage.loadCredentials()).toEqual(credentials);
    expect(await storage.loadOutbox()).toEqual([unsent]);
    const key = await storage.deviceKeys().load();
    expect(await storedPair(name)).toBeDefined();
    expect(key.publicKey).toHaveLength(122);
  });

  it('gives way at once to a tab opening the database at a newer version, and says so', async () => {
    const name = newName();
    let told = 0;
    const tabA = await openIndexedDbStorage(name, { onVersionChange: () => told++ });
    const tabB = await openIndexedDbStorage(name);
    opened.push(tabA, tabB);

    const newer = await openUnblocked(name, DB_VERSION + 1);
    newer.close();

    expect(told).toBe(1);
    // Closed, not silently working on: the app was told, and every later operation fails.
    await expect(tabA.loadCredentials()).rejects.toThrow();
    await expect(tabB.loadOutbox()).rejects.toThrow();
  });
});

/** Opens `name` at `version` as a newer tab would; fails if an open connection blocks it. */
function openUnblocked(name: string, version: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`could not open ${name}`));
    request.onblocked = () => {
      // Once the test has closed the blocking tabs, the open goes through: close it, so the cleanup can delete.
      request.onsuccess = () => request.result.close();
      reject(new Error(`opening ${name} at version ${version} was blocked by an open tab`));
    };
  });
}
