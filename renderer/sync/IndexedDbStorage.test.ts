import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeStorageContract } from '../../shared/sync/testing/storageContract';
import { GENERAL, msgs } from '../../shared/sync/testing/fixtures';
import { openIndexedDbStorage } from './IndexedDbStorage';

let n = 0;
describeStorageContract('IndexedDbStorage', () => openIndexedDbStorage(`roost-test-${++n}`));

describe('IndexedDbStorage', () => {
  it('keeps data across a close and reopen of the same database', async () => {
    const first = await openIndexedDbStorage('roost-reopen');
    await first.saveMessages(GENERAL, msgs(1, 3), { cursor: 3, reachedStart: true });
    first.close();
    const second = await openIndexedDbStorage('roost-reopen');
    expect((await second.loadMessages(GENERAL, 100, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(await second.loadRange(GENERAL)).toEqual({ cursor: 3, reachedStart: true });
    second.close();
  });
});
