import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogErrorCode } from './errors';
import { MessageLog } from './MessageLog';
import { encodeLine } from './storedMessage';
import { appendFile } from 'node:fs/promises';
import { collectWarnings, draft, FsProbe, makeTempDir, removeDir } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const SPAM = 'BUY CHEAP PILLS at spam.example';
const operator = { clientMsgId: 'del-00000001', senderUserId: 'hub', senderDeviceId: 'hub' };
const segmentText = (conversation: string) => readFile(join(dir, conversation, '000000000001.jsonl'), 'utf8');

async function logWithSpam(options: Parameters<typeof MessageLog.open>[0] = { dir }) {
  const log = await MessageLog.open({ ...options, dir });
  await log.append('lobby', draft(1));
  await log.append('lobby', { ...draft(2, 'mallory'), text: SPAM });
  await log.append('lobby', draft(3));
  return log;
}

describe('deleting a message', () => {
  it('appends a deletion record with its own seq and reads the message back deleted', async () => {
    const log = await logWithSpam();
    const deletion = await log.delete('lobby', 2, operator);
    expect(deletion.record).toMatchObject({ seq: 4, deletes: 2, text: '', senderUserId: 'hub' });
    expect(deletion.target).toMatchObject({ seq: 2, text: '', deleted: true, senderUserId: 'mallory' });
    await deletion.erased;
    const page = await log.readForward('lobby', 0, 10);
    expect(page.messages.map((m) => [m.seq, m.text, m.deleted, m.deletes])).toEqual([
      [1, 'hello number 1', undefined, undefined],
      [2, '', true, undefined],
      [3, 'hello number 3', undefined, undefined],
      [4, '', undefined, 2],
    ]);
    await log.close();
  });

  it('the deleted text is gone from the segment file, which keeps its length and its other lines', async () => {
    const log = await logWithSpam();
    const before = await segmentText('lobby');
    await (
      await log.delete('lobby', 2, operator)
    ).erased;
    await log.close();
    const after = await segmentText('lobby');
    expect(before).toContain(SPAM);
    expect(after).not.toContain('CHEAP');
    expect(after).not.toContain('spam.example');
    const [l1, l2, l3] = before.split('\n');
    const lines = after.split('\n');
    expect([lines[0], lines[2]]).toEqual([l1, l3]);
    expect(lines[1]!.length).toBe(l2!.length);

    // A restart reads it deleted from the file alone.
    const reopened = await MessageLog.open({ dir });
    expect((await reopened.readForward('lobby', 1, 1)).messages[0]).toMatchObject({ seq: 2, text: '', deleted: true });
    await reopened.close();
  });

  it('deletes a message in a sealed segment, and keeps the index right', async () => {
    const log = await MessageLog.open({ dir, segmentBytes: 200, indexInterval: 2 });
    for (let n = 1; n <= 12; n++) await log.append('lobby', n === 3 ? { ...draft(3), text: SPAM } : draft(n));
    await (
      await log.delete('lobby', 3, operator)
    ).erased;
    await log.close();
    const reopened = await MessageLog.open({ dir, segmentBytes: 200, indexInterval: 2 });
    const page = await reopened.readForward('lobby', 0, 20);
    expect(page.messages.map((m) => m.seq)).toEqual([...Array(13).keys()].map((i) => i + 1));
    expect(page.messages[2]).toMatchObject({ text: '', deleted: true });
    const files = await Promise.all(['000000000001.jsonl'].map((f) => readFile(join(dir, 'lobby', f), 'utf8')));
    expect(files.join('')).not.toContain('CHEAP');
    await reopened.close();
  });

  it('records a second deletion of the same message once, and refuses deletions and unknown seqs', async () => {
    const log = await logWithSpam();
    const first = await log.delete('lobby', 2, operator);
    const again = await log.delete('lobby', 2, { ...operator, clientMsgId: 'del-00000002' });
    expect(first.record?.seq).toBe(4);
    expect(again.record).toBeUndefined();
    await Promise.all([first.erased, again.erased]);
    await expect(log.delete('lobby', 4, operator)).rejects.toMatchObject({ code: LogErrorCode.notFound });
    await expect(log.delete('lobby', 9, operator)).rejects.toMatchObject({ code: LogErrorCode.notFound });
    await expect(log.delete('nowhere', 1, operator)).rejects.toMatchObject({ code: LogErrorCode.notFound });
    expect(log.lastSeq('lobby')).toBe(4);
    await log.close();
  });

  it('hides the text from reads while it is being erased, and a failed erase is reported', async () => {
    const probe = new FsProbe();
    const log = await logWithSpam({ dir, fs: probe.fs });
    // The record's append is one write; the key's overwrite the next: make that one fail.
    const deleting = log.delete('lobby', 2, operator);
    await probe.writesStarted(4);
    probe.failNext('write', 'EIO', 'none');
    const deletion = await deleting;
    await expect(deletion.erased).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect((await log.readForward('lobby', 1, 1)).messages[0]).toMatchObject({ text: '', deleted: true });
    await log.close();
  });

  it('finishes erasing at the next start when the hub stopped between the record and the overwrite', async () => {
    const log = await logWithSpam();
    await log.close();
    // What a crash right after the record was durable leaves: the record, and the text still in place.
    const record = encodeLine({ seq: 4, ...operator, sentAt: 1, text: '', deletes: 2 });
    await appendFile(join(dir, 'lobby', '000000000001.jsonl'), record);
    const warnings = collectWarnings();
    const reopened = await MessageLog.open({ dir, warn: warnings.warn });
    expect((await reopened.readForward('lobby', 1, 1)).messages[0]).toMatchObject({ text: '', deleted: true });
    await reopened.close();
    expect(await segmentText('lobby')).not.toContain('CHEAP');
    expect(warnings.messages.join('\n')).toMatch(/finished erasing deleted message 2/);
  });
});
