import 'fake-indexeddb/auto';
import { p256 } from '@noble/curves/nist.js';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { MemoryStorage } from '../../shared/sync/MemoryStorage';
import { CACHE_SCHEMA_VERSION, type StoredOutboxEntry } from '../../shared/sync/storage';
import { msg } from '../../shared/sync/testing/fixtures';
import { fromBase64url } from '../../shared/util/base64url';
import { openIndexedDbStorage, type IndexedDbStorage } from '../sync/IndexedDbStorage';
import { importMigration, type KeyAdoption } from './importMigration';
import { NON_EXTRACTABLE_KEY } from './migrationMessages';

const credentials = {
  hubId: 'hub-0000000000000000001',
  userId: 'usr-000000000000000001',
  deviceId: 'dev-0000000000000000001',
  token: 't0k3n',
};
const entry = (n: number, fields: Partial<StoredOutboxEntry> = {}): StoredOutboxEntry => ({
  clientMsgId: `client-msg-${String(n).padStart(11, '0')}`,
  conversationId: msg(1).conversationId,
  text: `unsent ${n}`,
  createdAt: 1_700_000_000_000 + n,
  order: n,
  ...fields,
});

/** What the old page reads from IndexedDbStorage's stores: by default a protocol-1 device, without a key. */
function oldData(fields: Record<string, unknown> = {}) {
  return {
    credentials,
    snapshot: null,
    outbox: [entry(1), entry(2), entry(3, { failedCode: 'NOT_A_MEMBER' })],
    ranges: [{ conversationId: msg(1).conversationId, cursor: 2, reachedStart: true }],
    messages: [msg(1), msg(2)],
    deviceKey: null,
    ...fields,
  };
}

/** A key store that only records what it was given (the tests of the key use the real one). */
function recordedKeys(): KeyAdoption & { adopted: Uint8Array[] } {
  const adopted: Uint8Array[] = [];
  return { adopted, adopt: (secretKey) => Promise.resolve(adopted.push(secretKey)) };
}

describe('importMigration', () => {
  it('brings the device, its unsent messages and its cached timeline into an empty origin', async () => {
    const storage = new MemoryStorage();
    expect(await importMigration(storage, recordedKeys(), oldData())).toEqual({ ok: true, pending: 2 });
    expect(await storage.loadCredentials()).toEqual(credentials);
    expect((await storage.loadOutbox()).map((e) => e.text).sort()).toEqual(['unsent 1', 'unsent 2', 'unsent 3']);
    expect(await storage.loadRange(msg(1).conversationId)).toEqual({ cursor: 2, reachedStart: true });
    expect(await storage.loadMessages(msg(1).conversationId, 3, 10)).toEqual([msg(1), msg(2)]);
  });

  it('never replaces an account this browser already has at the new address', async () => {
    const storage = new MemoryStorage();
    const own = { ...credentials, deviceId: 'dev-0000000000000000002', token: 'mine' };
    await storage.saveCredentials(own);
    await storage.saveOutboxEntry(entry(9));
    const keys = recordedKeys();
    const secretKey = p256.utils.randomSecretKey();
    expect(await importMigration(storage, keys, oldData({ deviceKey: { secretKey } }))).toEqual({
      ok: false,
      reason: 'HAS_ACCOUNT',
    });
    expect(await storage.loadCredentials()).toEqual(own);
    expect((await storage.loadOutbox()).map((e) => e.text)).toEqual(['unsent 9']);
    expect(keys.adopted).toEqual([]);
  });

  it('refuses data that is not a device, or an outbox entry it cannot read, and imports nothing', async () => {
    for (const bad of [
      oldData({ credentials: null }),
      oldData({ credentials: { ...credentials, token: '' } }),
      oldData({ outbox: [entry(1), { ...entry(2), text: 7 }] }),
      'credentials',
      null,
    ]) {
      const storage = new MemoryStorage();
      expect(await importMigration(storage, recordedKeys(), bad)).toMatchObject({ ok: false, reason: 'INVALID' });
      expect(await storage.loadCredentials()).toBeUndefined();
      expect(await storage.loadOutbox()).toEqual([]);
    }
  });

  it('leaves to the hub a cached timeline or snapshot that does not validate, keeping the rest', async () => {
    const storage = new MemoryStorage();
    const data = oldData({
      snapshot: { schemaVersion: CACHE_SCHEMA_VERSION + 1 },
      messages: [msg(1), { ...msg(2), seq: 'two' }],
    });
    expect(await importMigration(storage, recordedKeys(), data)).toEqual({ ok: true, pending: 2 });
    expect(await storage.loadSnapshot()).toBeUndefined();
    expect(await storage.loadRange(msg(1).conversationId)).toBeUndefined();
    expect(await storage.loadCredentials()).toEqual(credentials);
  });

  it('says the storage failed, with no account written, when this origin refuses the write', async () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    expect(await importMigration(storage, recordedKeys(), oldData())).toMatchObject({
      ok: false,
      reason: 'STORAGE_FAILED',
    });
    storage.failWrites = false;
    expect(await storage.loadCredentials()).toBeUndefined();
  });
});

describe('importMigration: the device key (protocol 2)', () => {
  const keyed = { hubId: credentials.hubId, userId: credentials.userId, deviceId: credentials.deviceId };
  const opened: IndexedDbStorage[] = [];
  let n = 0;

  /** This origin's storage: IndexedDB (fake-indexeddb) with Node's WebCrypto, as the https page has it. */
  async function open(name: string): Promise<IndexedDbStorage> {
    const storage = await openIndexedDbStorage(name);
    opened.push(storage);
    return storage;
  }
  const newName = () => `roost-import-${++n}`;

  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
  });

  /** The `deviceKeys` row as stored, read past the classes under test. */
  async function storedKeyRow(name: string): Promise<unknown> {
    const db = await openDB(name);
    try {
      return await db.get('deviceKeys', 'device');
    } finally {
      db.close();
    }
  }

  async function verifies(publicKey: string, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    const spki = new Uint8Array(fromBase64url(publicKey)!);
    const key = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      new Uint8Array(signature),
      new Uint8Array(data),
    );
  }

  /** What an import left: credentials, outbox size, key row. */
  async function contents(storage: IndexedDbStorage, name: string) {
    return {
      credentials: await storage.loadCredentials(),
      outbox: (await storage.loadOutbox()).length,
      key: await storedKeyRow(name),
    };
  }

  it('moves a raw secret with a keyed device and keeps it here non-extractable, the same key to the hub', async () => {
    const name = newName();
    const storage = await open(name);
    const secretKey = p256.utils.randomSecretKey();
    const data = oldData({ credentials: keyed, deviceKey: { secretKey } });

    expect(await importMigration(storage, storage.deviceKeys(), data)).toEqual({ ok: true, pending: 2 });

    expect(await storage.loadCredentials()).toEqual(keyed);
    const row = (await storedKeyRow(name)) as CryptoKeyPair;
    expect(Object.keys(row).sort()).toEqual(['privateKey', 'publicKey']);
    expect(row.privateKey).toBeInstanceOf(CryptoKey);
    expect(row.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', row.privateKey)).rejects.toThrow();
    // Read back as a later page would: the key the hub knows, signing as that key.
    storage.close();
    const key = await (await open(name)).deviceKeys().load();
    expect(key.publicKey).toBe(memoryDeviceKey(secretKey).publicKey);
    const proof = new TextEncoder().encode('roost-auth-v2\nhub\nchallenge\ndev');
    expect(await verifies(key.publicKey, await key.sign(proof), proof)).toBe(true);
  });

  it('moves a raw secret beside a token too: the hub may have bound that key already', async () => {
    const name = newName();
    const storage = await open(name);
    const secretKey = p256.utils.randomSecretKey();

    expect(await importMigration(storage, storage.deviceKeys(), oldData({ deviceKey: { secretKey } }))).toEqual({
      ok: true,
      pending: 2,
    });

    expect(await storage.loadCredentials()).toEqual(credentials);
    expect((await storage.deviceKeys().load()).publicKey).toBe(memoryDeviceKey(secretKey).publicKey);
  });

  it('refuses a keyed device whose key is non-extractable, moving nothing: it stays at the old address', async () => {
    const name = newName();
    const storage = await open(name);
    const data = oldData({ credentials: keyed, deviceKey: NON_EXTRACTABLE_KEY });

    expect(await importMigration(storage, storage.deviceKeys(), data)).toEqual({
      ok: false,
      reason: 'KEY_NOT_MOVABLE',
    });

    expect(await contents(storage, name)).toEqual({ credentials: undefined, outbox: 0, key: undefined });
  });

  const protocol1: [string, Record<string, unknown>][] = [
    ['no key (a version-1 database)', { deviceKey: null }],
    ['no key named by a page from before protocol 2', { deviceKey: undefined }],
    ['a non-extractable key', { deviceKey: NON_EXTRACTABLE_KEY }],
  ];

  it.each(protocol1)('moves a protocol-1 device (a token) with %s, leaving its key to be made here', async (_, key) => {
    const name = newName();
    const storage = await open(name);

    expect(await importMigration(storage, storage.deviceKeys(), oldData(key))).toEqual({ ok: true, pending: 2 });

    // The token stays, so the first auth here binds a key made here (PROTOCOL.md 6.7).
    expect(await contents(storage, name)).toEqual({ credentials, outbox: 3, key: undefined });
  });

  const broken: [string, Record<string, unknown>][] = [
    ['neither a key nor a token', { credentials: keyed, deviceKey: null }],
    ['a secret of 31 bytes', { credentials: keyed, deviceKey: { secretKey: new Uint8Array(31).fill(1) } }],
    ['a secret of zero', { credentials: keyed, deviceKey: { secretKey: new Uint8Array(32) } }],
    ['a secret as text', { deviceKey: { secretKey: 'AAAA' } }],
    ['a key of another kind', { credentials: keyed, deviceKey: 'extractable' }],
  ];

  it.each(broken)('refuses a device with %s, moving nothing', async (_, fields) => {
    const name = newName();
    const storage = await open(name);

    expect(await importMigration(storage, storage.deviceKeys(), oldData(fields))).toMatchObject({
      ok: false,
      reason: 'INVALID',
    });

    expect(await contents(storage, name)).toEqual({ credentials: undefined, outbox: 0, key: undefined });
  });

  it('stores no key made of a secret that is no P-256 key', async () => {
    const name = newName();
    const storage = await open(name);

    await expect(storage.deviceKeys().adopt(new Uint8Array(32))).rejects.toThrow();

    expect(await storedKeyRow(name)).toBeUndefined();
  });

  it('writes no account when the key cannot be stored, so the move can run again', async () => {
    const storage = new MemoryStorage();
    const keys = { adopt: () => Promise.reject(new Error('QuotaExceededError')) };
    const data = oldData({ credentials: keyed, deviceKey: { secretKey: p256.utils.randomSecretKey() } });

    expect(await importMigration(storage, keys, data)).toMatchObject({ ok: false, reason: 'STORAGE_FAILED' });

    expect(await storage.loadCredentials()).toBeUndefined();
  });
});
