import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HubLogger } from '../HubContext';
import { cleanupsAfterEach } from '../testing/cleanups';
import { makeTempDir } from '../testing/tempDir';
import { BlockList } from './BlockList';
import { Registry } from './Registry';
import { DEFAULT_CONVERSATION_ID, REGISTRY_SCHEMA_VERSION } from './registrySchema';

const silent: HubLogger = { info: () => {}, warn: () => {}, error: () => {} };

const cleanups = cleanupsAfterEach();

async function tempDir(): Promise<string> {
  const t = await makeTempDir('roost-blocks-');
  cleanups.push(t.remove);
  return t.dir;
}

describe('BlockList', () => {
  it('answers both ways: whom a user blocks, and who blocks a user', () => {
    const list = new BlockList([{ userId: 'ann', blockedUserId: 'spam', blockedAt: 1 }]);
    expect(list.add({ userId: 'bo', blockedUserId: 'spam', blockedAt: 2 })).toBe(true);
    expect(list.add({ userId: 'ann', blockedUserId: 'spam', blockedAt: 3 })).toBe(false);
    expect(list.add({ userId: 'ann', blockedUserId: 'bo', blockedAt: 4 })).toBe(true);
    expect(list.blockedBy('ann')).toEqual(['spam', 'bo']);
    expect([...list.blockersOf('spam')]).toEqual(['ann', 'bo']);
    expect(list.blocks('bo', 'ann')).toBe(false);

    expect(list.remove('ann', 'spam')).toMatchObject({ blockedAt: 1 });
    expect(list.remove('ann', 'spam')).toBeUndefined();
    expect([...list.blockersOf('spam')]).toEqual(['bo']);
    expect(list.records()).toEqual([
      { userId: 'ann', blockedUserId: 'bo', blockedAt: 4 },
      { userId: 'bo', blockedUserId: 'spam', blockedAt: 2 },
    ]);
  });
});

describe('Registry: blocks and leaving', () => {
  it('keeps blocks and a left room across reopen', async () => {
    const dir = await tempDir();
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent, now: () => 1000 });
    const ann = await r.createUser('Ann');
    const spam = await r.createUser('Spam');
    const room = await r.createGroup({ name: 'Deals', createdBy: spam.id, memberUserIds: [ann.id] });
    expect(await r.block(ann.id, spam.id)).toBe(true);
    expect(await r.block(ann.id, spam.id)).toBe(false);
    const leaving = r.leaveGroup(room, ann.id);
    // Out of the room before the write settles: a push from here on does not reach her.
    expect(r.isMember(room, ann.id)).toBe(false);
    await leaving;
    await r.close();

    const again = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    expect(again.blockedBy(ann.id)).toEqual([spam.id]);
    expect([...again.blockersOf(spam.id)]).toEqual([ann.id]);
    expect(again.conversation(room.id)?.memberUserIds).toEqual([spam.id]);
    expect(again.conversationsOf(ann.id).map((c) => c.id)).toEqual([DEFAULT_CONVERSATION_ID]);
    expect(await again.unblock(ann.id, spam.id)).toBe(true);
    expect(await again.unblock(ann.id, spam.id)).toBe(false);
    await again.close();
    const file = JSON.parse(await readFile(path.join(dir, 'registry.json'), 'utf8')) as { blocks: unknown[] };
    expect(file.blocks).toEqual([]);
  });

  it('reads a registry of schema version 1 (before blocks) as one with no blocks', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'registry.json'),
      JSON.stringify({
        schemaVersion: 1,
        hub: { id: 'hub', name: 'Den', createdAt: 0 },
        users: [{ id: 'ann', displayName: 'Ann', createdAt: 0 }],
        devices: [],
        conversations: [
          { id: 'general', kind: 'default', name: 'General', memberUserIds: [], createdAt: 0, createdBy: null },
        ],
        receipts: [],
      }),
    );
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    expect(r.blockedBy('ann')).toEqual([]);
    await r.block('ann', 'bo');
    await r.close();
    const file = JSON.parse(await readFile(path.join(dir, 'registry.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({
      schemaVersion: REGISTRY_SCHEMA_VERSION,
      blocks: [{ userId: 'ann', blockedUserId: 'bo' }],
    });
  });
});
