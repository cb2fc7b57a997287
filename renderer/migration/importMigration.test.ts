import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../shared/sync/MemoryStorage';
import { CACHE_SCHEMA_VERSION, type StoredOutboxEntry } from '../../shared/sync/storage';
import { msg } from '../../shared/sync/testing/fixtures';
import { importMigration } from './importMigration';

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

/** What the old page reads from IndexedDbStorage's stores. */
function oldData(fields: Record<string, unknown> = {}) {
  return {
    credentials,
    snapshot: null,
    outbox: [entry(1), entry(2), entry(3, { failedCode: 'NOT_A_MEMBER' })],
    ranges: [{ conversationId: msg(1).conversationId, cursor: 2, reachedStart: true }],
    messages: [msg(1), msg(2)],
    ...fields,
  };
}

describe('importMigration', () => {
  it('brings the device, its unsent messages and its cached timeline into an empty origin', async () => {
    const storage = new MemoryStorage();
    expect(await importMigration(storage, oldData())).toEqual({ ok: true, pending: 2 });
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
    expect(await importMigration(storage, oldData())).toEqual({ ok: false, reason: 'HAS_ACCOUNT' });
    expect(await storage.loadCredentials()).toEqual(own);
    expect((await storage.loadOutbox()).map((e) => e.text)).toEqual(['unsent 9']);
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
      expect(await importMigration(storage, bad)).toMatchObject({ ok: false, reason: 'INVALID' });
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
    expect(await importMigration(storage, data)).toEqual({ ok: true, pending: 2 });
    expect(await storage.loadSnapshot()).toBeUndefined();
    expect(await storage.loadRange(msg(1).conversationId)).toBeUndefined();
    expect(await storage.loadCredentials()).toEqual(credentials);
  });

  it('says the storage failed, with no account written, when this origin refuses the write', async () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    expect(await importMigration(storage, oldData())).toMatchObject({ ok: false, reason: 'STORAGE_FAILED' });
    storage.failWrites = false;
    expect(await storage.loadCredentials()).toBeUndefined();
  });
});
