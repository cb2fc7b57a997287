import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './MemoryStorage';
import { describeStorageContract } from './testing/storageContract';

describeStorageContract('MemoryStorage', async () => new MemoryStorage());

describe('MemoryStorage', () => {
  it('can be told to fail every write', async () => {
    const s = new MemoryStorage();
    s.failWrites = true;
    await expect(
      s.saveOutboxEntry({ clientMsgId: 'client-msg-1', conversationId: 'c', text: 't', createdAt: 1, order: 1 }),
    ).rejects.toThrow(/failWrites/);
  });
});
