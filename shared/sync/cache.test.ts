import { describe, expect, it } from 'vitest';
import { loadCache, stateFromCache } from './cache';
import { checkSnapshot } from './cacheSchema';
import type { RoostWarning } from './errors';
import { MemoryStorage } from './MemoryStorage';
import { CACHE_SCHEMA_VERSION } from './storage';
import { ALICE_CREDENTIALS } from './testing/clientHarness';
import { ALICE, ALICE_LAPTOP, GENERAL, HUB, conversation, msgs } from './testing/fixtures';

const snapshot = () => ({
  schemaVersion: CACHE_SCHEMA_VERSION,
  hub: HUB,
  self: { userId: ALICE, deviceId: ALICE_LAPTOP },
  users: [],
  devices: [],
  conversations: [conversation({ lastSeq: 5 })],
});

describe('cache loading', () => {
  it('rebuilds the state from storage: conversations, newest messages, outbox', async () => {
    const storage = new MemoryStorage();
    await storage.saveCredentials(ALICE_CREDENTIALS);
    await storage.saveSnapshot(snapshot());
    await storage.saveMessages(GENERAL, msgs(1, 5), { cursor: 5, reachedStart: true });
    await storage.saveOutboxEntry({
      clientMsgId: 'client-msg-1',
      conversationId: GENERAL,
      text: 'later',
      createdAt: 1,
      order: 1,
    });
    const cache = await loadCache(storage, 3, () => {});
    const state = stateFromCache(cache);
    expect(state.session).toEqual({ phase: 'paired' });
    const general = state.conversations[GENERAL]!;
    expect(general.timeline.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(general.hasOlder).toBe(true);
    expect(general.pending.map((e) => e.text)).toEqual(['later']);
    expect(cache.storedReachedStart[GENERAL]).toBe(true);
  });

  it('drops a snapshot that does not validate, or comes from a newer version, and the messages with it', async () => {
    for (const bad of [
      { ...snapshot(), users: 'nope' },
      { ...snapshot(), schemaVersion: CACHE_SCHEMA_VERSION + 1 },
    ]) {
      const storage = new MemoryStorage();
      const warnings: RoostWarning[] = [];
      await storage.saveCredentials(ALICE_CREDENTIALS);
      await storage.saveSnapshot(bad as never);
      await storage.saveMessages(GENERAL, msgs(1, 5), { cursor: 5, reachedStart: true });
      const cache = await loadCache(storage, 10, (w) => warnings.push(w));
      expect(cache.snapshot).toBeUndefined();
      expect(warnings.map((w) => w.code)).toEqual(['CACHE_DISCARDED']);
      expect(stateFromCache(cache).session).toEqual({ phase: 'paired' });
      expect(storage.messageCount(GENERAL)).toBe(0);
      expect(await storage.loadCredentials()).toEqual(ALICE_CREDENTIALS);
    }
  });

  it('starts unpaired without valid credentials', async () => {
    const storage = new MemoryStorage();
    await storage.saveCredentials({ ...ALICE_CREDENTIALS, token: '' });
    const state = stateFromCache(await loadCache(storage, 10, () => {}));
    expect(state.session).toEqual({ phase: 'unpaired', reason: 'notPaired' });
  });

  it('validates snapshots of the current version', () => {
    expect(checkSnapshot(snapshot()).ok).toBe(true);
    expect(checkSnapshot({ schemaVersion: 0 })).toEqual({ ok: false, reason: 'no migration from schemaVersion 0' });
    expect(checkSnapshot(null).ok).toBe(false);
  });
});
