import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog } from './MessageLog';
import { decodeLine, encodeLine, type StoredAttachment, type StoredMessage } from './storedMessage';
import { draft, makeTempDir, removeDir } from './testSupport';

const PHOTO: StoredAttachment = {
  uploadId: 'Xk3vPq9LmN2rT8wYz4Ab1c',
  sha256: 'a'.repeat(64),
  name: 'beach "day" 🏖.jpg',
  size: 123_456,
  type: 'image/jpeg',
  image: { width: 1600, height: 1200 },
};
const REPORT: StoredAttachment = {
  uploadId: 'Yk3vPq9LmN2rT8wYz4Ab1d',
  sha256: 'b'.repeat(64),
  name: 'report.pdf',
  size: 99,
  type: 'application/pdf',
};

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('messages with files', () => {
  it('round-trip through the stored line, text and files together inside "x"', () => {
    const message: StoredMessage = { ...draft(3), seq: 3, sentAt: 5, attachments: [PHOTO, REPORT] };
    const line = encodeLine(message);
    expect(line.toString()).toMatch(/,"f":1,"x":"\{/);
    expect(line.toString().endsWith('"}\n')).toBe(true);
    expect(decodeLine(line.subarray(0, -1))).toEqual(message);
  });

  it('a line marked with files whose envelope does not parse is refused, not read as text', () => {
    const bad = '{"s":1,"i":"c","u":"a","d":"d","t":1,"f":1,"x":"{\\"t\\":\\"hi\\",\\"a\\":[{\\"name\\":3}]}"}';
    expect(decodeLine(Buffer.from(bad))).toBeNull();
    expect(decodeLine(Buffer.from('{"s":1,"i":"c","u":"a","d":"d","t":1,"f":1,"x":"plain"}'))).toBeNull();
  });

  it('are stored, read back with their files, and a deletion erases the files with the text from disk', async () => {
    const log = await MessageLog.open({ dir });
    await log.append('lobby', draft(1));
    const { message } = await log.append('lobby', { ...draft(2), text: '', attachments: [PHOTO] });
    expect(message.attachments).toEqual([PHOTO]);
    expect((await log.readForward('lobby', 0, 10)).messages[1]).toMatchObject({ seq: 2, attachments: [PHOTO] });

    const deletion = await log.delete('lobby', 2, {
      clientMsgId: 'del-00000001',
      senderUserId: 'u',
      senderDeviceId: 'd',
    });
    expect(deletion.attachments).toEqual([PHOTO]);
    expect(deletion.target.attachments).toBeUndefined();
    await deletion.erased;
    const segment = await readFile(join(dir, 'lobby', '000000000001.jsonl'), 'utf8');
    expect(segment).not.toContain(PHOTO.uploadId);
    expect(segment).not.toContain(PHOTO.sha256);
    expect(segment).not.toContain('beach');
    await log.close();

    const reopened = await MessageLog.open({ dir });
    const read = (await reopened.readForward('lobby', 0, 10)).messages[1];
    expect(read).toMatchObject({ seq: 2, text: '', deleted: true });
    expect(read?.attachments).toBeUndefined();
    // Deleting again: nothing left to release.
    const again = await reopened.delete('lobby', 2, {
      clientMsgId: 'del-00000002',
      senderUserId: 'u',
      senderDeviceId: 'd',
    });
    expect(again.attachments).toEqual([]);
    await again.erased;
    await reopened.close();
  });
});
