import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import { newFileOutboxEntry, withFile } from './fileOutboxEntry';
import { fileOutboxName, openFileOutbox } from './fileOutboxDb';

/** The outbox of messages with files in Chromium's real IndexedDB: what a reload reads back. */

let databases = 0;
const uniqueName = () => fileOutboxName(`hub-${Date.now()}-${++databases}`, 'device-1');

function entry(clientMsgId: string, createdAt = 1) {
  return newFileOutboxEntry({
    clientMsgId,
    conversationId: 'general',
    text: 'Holiday pictures',
    createdAt,
    files: [
      { blob: new File(['first file'], 'a.txt', { type: 'text/plain' }), name: 'a.txt', type: 'text/plain' },
      { blob: new Blob([new Uint8Array([1, 2, 3])]), name: 'b.bin', type: 'application/octet-stream' },
    ],
  });
}

describe('fileOutboxDb', () => {
  test('an entry and its bytes are read back by a later page, with its progress', async () => {
    const name = uniqueName();
    const first = openFileOutbox(name);
    const added = entry('message-0001');
    await first.add(added);
    await first.update(withFile(withFile(added, 0, { sha256: 'a'.repeat(64) }), 0, { uploadId: 'U'.repeat(22) }));

    const [read, ...rest] = await openFileOutbox(name).list();
    expect(rest).toEqual([]);
    expect(read).toMatchObject({ clientMsgId: 'message-0001', text: 'Holiday pictures', status: 'pending' });
    expect(read!.files.map((f) => [f.name, f.size, f.sha256, f.uploadId])).toEqual([
      ['a.txt', 10, 'a'.repeat(64), 'U'.repeat(22)],
      ['b.bin', 3, undefined, undefined],
    ]);
    expect(await read!.files[0]!.blob.text()).toBe('first file');
    expect([...new Uint8Array(await read!.files[1]!.blob.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  test('entries come back oldest first; each hub and device has its own', async () => {
    const name = uniqueName();
    const store = openFileOutbox(name);
    await store.add(entry('message-newer', 20));
    await store.add(entry('message-older', 10));
    expect((await openFileOutbox(name).list()).map((e) => e.clientMsgId)).toEqual(['message-older', 'message-newer']);
    expect(await openFileOutbox(`${name}-other-device`).list()).toEqual([]);
  });

  test('deleting takes the bytes too, and a late progress write does not bring an entry back', async () => {
    const name = uniqueName();
    const store = openFileOutbox(name);
    const added = entry('message-0002');
    await store.add(added);
    await store.delete('message-0002');
    await store.update({ ...added, status: 'sent' });
    expect(await store.list()).toEqual([]);
    const db = await openDB(name);
    expect(await db.count('blobs')).toBe(0);
    db.close();
  });

  test('a row that does not read back as an entry is left out, the others still come', async () => {
    const name = uniqueName();
    const store = openFileOutbox(name);
    await store.add(entry('message-good'));
    await store.list();
    const db = await openDB(name);
    await db.put('entries', { clientMsgId: 'message-bad', createdAt: 5, files: [] });
    db.close();
    expect((await openFileOutbox(name).list()).map((e) => e.clientMsgId)).toEqual(['message-good']);
  });
});
