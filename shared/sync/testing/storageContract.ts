import { describe, expect, it } from 'vitest';
import type { ClientStorage } from '../storage';
import { CACHE_SCHEMA_VERSION } from '../storage';
import { ALICE, GENERAL, HUB, conversation, msg, msgs } from './fixtures';

/**
 * What every ClientStorage adapter must do, as one suite: memory storage runs
 * it in shared/sync, IndexedDB in renderer/sync (on fake-indexeddb).
 */
export function describeStorageContract(name: string, open: () => Promise<ClientStorage>): void {
  describe(`${name} (ClientStorage contract)`, () => {
    it('keeps credentials and the snapshot', async () => {
      const s = await open();
      expect(await s.loadCredentials()).toBeUndefined();
      expect(await s.loadSnapshot()).toBeUndefined();
      const credentials = { hubId: HUB.id, userId: ALICE, deviceId: 'd1', token: 't' };
      await s.saveCredentials(credentials);
      const snapshot = {
        schemaVersion: CACHE_SCHEMA_VERSION,
        hub: HUB,
        self: { userId: ALICE, deviceId: 'd1' },
        users: [],
        devices: [],
        conversations: [conversation()],
      };
      await s.saveSnapshot(snapshot);
      expect(await s.loadCredentials()).toEqual(credentials);
      expect(await s.loadSnapshot()).toEqual(snapshot);
    });

    it('stores messages by seq with their range and pages them newest-first-limited, oldest first', async () => {
      const s = await open();
      await s.saveMessages(GENERAL, msgs(1, 30), { cursor: 30, reachedStart: true });
      await s.saveMessages(GENERAL, [msg(30, { text: 'replaced' }), msg(31)], { cursor: 31, reachedStart: true });
      await s.saveMessages('other', msgs(1, 3, { conversationId: 'other' }), { cursor: 3, reachedStart: false });
      expect(await s.loadRange(GENERAL)).toEqual({ cursor: 31, reachedStart: true });
      expect(await s.loadRange('nowhere')).toBeUndefined();
      const newest = await s.loadMessages(GENERAL, 32, 5);
      expect(newest.map((m) => m.seq)).toEqual([27, 28, 29, 30, 31]);
      expect(newest[3]!.text).toBe('replaced');
      expect((await s.loadMessages(GENERAL, 4, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(await s.loadMessages(GENERAL, 1, 10)).toEqual([]);
      expect((await s.loadMessages('other', 100, 10)).map((m) => m.conversationId)).toEqual([
        'other',
        'other',
        'other',
      ]);
    });

    it('keeps the outbox, replaces and deletes entries', async () => {
      const s = await open();
      const entry = (n: number) => ({
        clientMsgId: `client-msg-${n}`,
        conversationId: GENERAL,
        text: `t${n}`,
        createdAt: n,
        order: n,
      });
      await s.saveOutboxEntry(entry(2));
      await s.saveOutboxEntry(entry(1));
      await s.saveOutboxEntry({ ...entry(1), failedCode: 'NOT_A_MEMBER' });
      await s.deleteOutboxEntry('client-msg-2');
      await s.deleteOutboxEntry('never-existed');
      expect(await s.loadOutbox()).toEqual([{ ...entry(1), failedCode: 'NOT_A_MEMBER' }]);
    });

    it('forgets one conversation, and only that one', async () => {
      const s = await open();
      await s.saveMessages(GENERAL, msgs(1, 3), { cursor: 3, reachedStart: true });
      await s.saveMessages('other', msgs(1, 2, { conversationId: 'other' }), { cursor: 2, reachedStart: true });
      await s.deleteConversation('other');
      await s.deleteConversation('never-existed');
      expect(await s.loadRange('other')).toBeUndefined();
      expect(await s.loadMessages('other', 10, 10)).toEqual([]);
      expect(await s.loadRange(GENERAL)).toEqual({ cursor: 3, reachedStart: true });
      expect(await s.loadMessages(GENERAL, 10, 10)).toHaveLength(3);
    });

    it('forgets everything on clear', async () => {
      const s = await open();
      await s.saveCredentials({ hubId: HUB.id, userId: ALICE, deviceId: 'd1', token: 't' });
      await s.saveMessages(GENERAL, msgs(1, 3), { cursor: 3, reachedStart: true });
      await s.saveOutboxEntry({
        clientMsgId: 'client-msg-1',
        conversationId: GENERAL,
        text: 't',
        createdAt: 1,
        order: 1,
      });
      await s.clear();
      expect(await s.loadCredentials()).toBeUndefined();
      expect(await s.loadRange(GENERAL)).toBeUndefined();
      expect(await s.loadMessages(GENERAL, 10, 10)).toEqual([]);
      expect(await s.loadOutbox()).toEqual([]);
    });

    it('hands out copies: changing what it returned does not change what it stores', async () => {
      const s = await open();
      await s.saveMessages(GENERAL, [msg(1)], { cursor: 1, reachedStart: true });
      const [first] = await s.loadMessages(GENERAL, 2, 1);
      first!.text = 'mutated';
      expect((await s.loadMessages(GENERAL, 2, 1))[0]!.text).toBe('message 1');
    });
  });
}
