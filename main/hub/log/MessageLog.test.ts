import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog, type StoredMessage } from './MessageLog';
import { collectWarnings, draft, fileLines, FsProbe, makeTempDir, range, removeDir, segmentFiles } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const seqs = (messages: StoredMessage[]): number[] => messages.map((m) => m.seq);

describe('MessageLog append and read', () => {
  it('stores a message and reads it back, on disk in the documented line format', async () => {
    const log = await MessageLog.open({ dir, now: () => 1_700_000_000_000 });
    const { message, duplicate } = await log.append('lobby', {
      clientMsgId: 'c1-abcdefgh',
      senderUserId: 'alice',
      senderDeviceId: 'phone',
      text: 'hi "there"\nsecond line',
    });
    expect(duplicate).toBe(false);
    expect(message).toEqual({
      seq: 1,
      clientMsgId: 'c1-abcdefgh',
      senderUserId: 'alice',
      senderDeviceId: 'phone',
      sentAt: 1_700_000_000_000,
      text: 'hi "there"\nsecond line',
    });
    expect(log.lastSeq('lobby')).toBe(1);
    expect(await log.readForward('lobby', 0, 10)).toEqual({ messages: [message], hasMore: false });
    await log.close();

    const data = await readFile(join(dir, 'lobby', '000000000001.jsonl'), 'utf8');
    expect(data).toBe(
      '{"s":1,"i":"c1-abcdefgh","u":"alice","d":"phone","t":1700000000000,"x":"hi \\"there\\"\\nsecond line"}\n',
    );
    expect(await readFile(join(dir, 'lobby', '000000000001.idx'), 'utf8')).toBe('1 0\n');
    expect(JSON.parse(await readFile(join(dir, 'log-format.json'), 'utf8'))).toEqual({
      format: 'roost-message-log',
      version: 1,
    });
  });

  it('numbers each conversation contiguously from 1, independently of the others', async () => {
    const log = await MessageLog.open({ dir });
    const results = await Promise.all([
      log.append('a', draft(1)),
      log.append('b', draft(1)),
      log.append('a', draft(2)),
      log.append('a', draft(3)),
      log.append('b', draft(2)),
    ]);
    expect(results.map((r) => r.message.seq)).toEqual([1, 1, 2, 3, 2]);
    expect(log.lastSeq('a')).toBe(3);
    expect(log.lastSeq('b')).toBe(2);
    expect(log.lastSeq('never-used')).toBe(0);
    expect(seqs((await log.readForward('a', 0, 100)).messages)).toEqual([1, 2, 3]);
    await log.close();
  });

  it('reads nothing for an unknown conversation and creates no directory for it', async () => {
    const log = await MessageLog.open({ dir });
    expect(await log.readForward('ghost', 0, 10)).toEqual({ messages: [], hasMore: false });
    expect(await log.readBackward('ghost', 100, 10)).toEqual({ messages: [], hasMore: false });
    await log.close();
    await expect(stat(join(dir, 'ghost'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never shows a message whose commit has not completed', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs });
    await log.append('a', draft(1));
    probe.holdWrites();
    const pending = log.append('a', draft(2));
    await probe.writesStarted(2);
    expect(log.lastSeq('a')).toBe(1);
    expect(seqs((await log.readForward('a', 0, 10)).messages)).toEqual([1]);
    expect(await log.readBackward('a', Number.MAX_SAFE_INTEGER, 10)).toMatchObject({ hasMore: false });
    probe.release();
    expect((await pending).message.seq).toBe(2);
    expect(seqs((await log.readForward('a', 0, 10)).messages)).toEqual([1, 2]);
    await log.close();
  });

  it('gives the same data and lastSeq after close and reopen, and continues the numbering', async () => {
    const log = await MessageLog.open({ dir });
    for (const n of range(1, 20)) await log.append('a', draft(n));
    await log.append('b', draft(1));
    const before = await log.readForward('a', 0, 100);
    await log.close();

    const reopened = await MessageLog.open({ dir });
    expect(reopened.lastSeq('a')).toBe(20);
    expect(reopened.lastSeq('b')).toBe(1);
    expect(await reopened.readForward('a', 0, 100)).toEqual(before);
    expect((await reopened.append('a', draft(21))).message.seq).toBe(21);
    await reopened.close();
  });

  it('flush resolves once everything appended so far is durable', async () => {
    const log = await MessageLog.open({ dir });
    const appends = range(1, 30).map((n) => log.append('a', draft(n)));
    await log.flush();
    expect(log.lastSeq('a')).toBe(30);
    expect(await fileLines(join(dir, 'a', '000000000001.jsonl'))).toHaveLength(30);
    await Promise.all(appends);
    await log.close();
  });
});

describe('MessageLog paging', () => {
  // Tiny segments and a dense index so that 40 messages span several files and index entries.
  const options = { segmentBytes: 400, indexInterval: 3 };

  async function fill(count: number): Promise<MessageLog> {
    const log = await MessageLog.open({ dir, ...options });
    for (const n of range(1, count)) await log.append('a', draft(n));
    return log;
  }

  async function checkPaging(log: MessageLog): Promise<void> {
    expect(await log.readForward('a', 0, 10)).toMatchObject({ hasMore: true });
    expect(seqs((await log.readForward('a', 0, 10)).messages)).toEqual(range(1, 10));
    expect(seqs((await log.readForward('a', 10, 10)).messages)).toEqual(range(11, 20));
    const last = await log.readForward('a', 35, 10);
    expect({ seqs: seqs(last.messages), hasMore: last.hasMore }).toEqual({ seqs: range(36, 40), hasMore: false });
    const exact = await log.readForward('a', 30, 10);
    expect({ seqs: seqs(exact.messages), hasMore: exact.hasMore }).toEqual({ seqs: range(31, 40), hasMore: false });
    expect(await log.readForward('a', 40, 10)).toEqual({ messages: [], hasMore: false });
    expect(await log.readForward('a', 1000, 10)).toEqual({ messages: [], hasMore: false });
    expect(await log.readForward('a', 5, 0)).toEqual({ messages: [], hasMore: true });

    const newest = await log.readBackward('a', Number.MAX_SAFE_INTEGER, 10);
    expect({ seqs: seqs(newest.messages), hasMore: newest.hasMore }).toEqual({ seqs: range(31, 40), hasMore: true });
    const older = await log.readBackward('a', 31, 10);
    expect({ seqs: seqs(older.messages), hasMore: older.hasMore }).toEqual({ seqs: range(21, 30), hasMore: true });
    const oldest = await log.readBackward('a', 6, 10);
    expect({ seqs: seqs(oldest.messages), hasMore: oldest.hasMore }).toEqual({ seqs: range(1, 5), hasMore: false });
    const exactStart = await log.readBackward('a', 11, 10);
    expect({ seqs: seqs(exactStart.messages), hasMore: exactStart.hasMore }).toEqual({
      seqs: range(1, 10),
      hasMore: false,
    });
    expect(await log.readBackward('a', 1, 10)).toEqual({ messages: [], hasMore: false });
    expect(await log.readBackward('a', 0, 10)).toEqual({ messages: [], hasMore: false });
    expect(seqs((await log.readBackward('a', 41, 3)).messages)).toEqual([38, 39, 40]);

    // Every page boundary and every start offset, across all segment boundaries.
    for (const after of range(0, 40)) {
      for (const limit of [1, 2, 7]) {
        const page = await log.readForward('a', after, limit);
        expect(seqs(page.messages)).toEqual(range(after + 1, Math.min(40, after + limit)));
        expect(page.hasMore).toBe(after + limit < 40);
      }
    }
    const all = await log.readForward('a', 0, 1000);
    expect(all.messages.map((m) => m.clientMsgId)).toEqual(range(1, 40).map((n) => draft(n).clientMsgId));
  }

  it('pages forward and backward with correct hasMore at every boundary, from the live log', async () => {
    const log = await fill(40);
    await checkPaging(log);
    await log.close();
  });

  it('pages the same after reopen, when reads come from disk across segments', async () => {
    await (await fill(40)).close();
    const log = await MessageLog.open({ dir, ...options });
    await checkPaging(log);
    await log.close();
  });

  it('rolls over to a new segment named by its first seq once the active one reaches segmentBytes', async () => {
    await (await fill(40)).close();
    const conversationDir = join(dir, 'a');
    const files = await segmentFiles(conversationDir, 'jsonl');
    expect(files.length).toBeGreaterThan(3);
    expect(await segmentFiles(conversationDir, 'idx')).toEqual(files.map((f) => f.replace('.jsonl', '.idx')));
    let expectedFirst = 1;
    for (const [i, file] of files.entries()) {
      const lines = await fileLines(join(conversationDir, file));
      expect(file).toBe(`${String(expectedFirst).padStart(12, '0')}.jsonl`);
      expect(JSON.parse(lines[0]!).s).toBe(expectedFirst);
      const size = (await stat(join(conversationDir, file))).size;
      // Only the line that crosses the limit may end past it.
      const lastLineBytes = Buffer.byteLength(lines[lines.length - 1]!) + 1;
      if (i < files.length - 1) expect(size - lastLineBytes).toBeLessThan(options.segmentBytes);
      if (i < files.length - 1) expect(size).toBeGreaterThanOrEqual(options.segmentBytes);
      expectedFirst += lines.length;
    }
    expect(expectedFirst).toBe(41);
  });

  it('rejects bad arguments with LOG_BAD_ARGUMENT instead of touching the disk', async () => {
    const log = await MessageLog.open({ dir });
    await expect(log.append('../etc', draft(1))).rejects.toMatchObject({ code: 'LOG_BAD_ARGUMENT' });
    await expect(log.append('a/b', draft(1))).rejects.toMatchObject({ code: 'LOG_BAD_ARGUMENT' });
    expect(() => log.lastSeq('')).toThrow(/conversation id/);
    await expect(log.readForward('a', -1, 10)).rejects.toMatchObject({ code: 'LOG_BAD_ARGUMENT' });
    await expect(log.readBackward('a', 5, 1.5)).rejects.toMatchObject({ code: 'LOG_BAD_ARGUMENT' });
    await expect(log.append('a', { ...draft(1), clientMsgId: '' })).rejects.toMatchObject({ code: 'LOG_BAD_ARGUMENT' });
    expect((await log.append('a', draft(1))).message.seq).toBe(1);
    await log.close();
  });

  it('rejects calls after close; closing twice is harmless', async () => {
    const log = await MessageLog.open({ dir });
    await log.append('a', draft(1));
    await log.close();
    await log.close();
    await expect(log.append('a', draft(2))).rejects.toMatchObject({ code: 'LOG_CLOSED' });
    await expect(log.readForward('a', 0, 1)).rejects.toMatchObject({ code: 'LOG_CLOSED' });
    await expect(log.flush()).rejects.toMatchObject({ code: 'LOG_CLOSED' });
  });

  it('refuses a directory written by another format version', async () => {
    await (await MessageLog.open({ dir })).close();
    await writeFile(join(dir, 'log-format.json'), '{"format":"roost-message-log","version":2}\n');
    await expect(MessageLog.open({ dir })).rejects.toMatchObject({ code: 'LOG_FORMAT' });
  });

  it('says which field of a foreign format file is wrong', async () => {
    await (await MessageLog.open({ dir })).close();
    await writeFile(join(dir, 'log-format.json'), '{"format":"someone-elses-log","version":1}\n');
    await expect(MessageLog.open({ dir })).rejects.toThrow(
      /log-format\.json does not describe a Roost message log: format: Invalid input: expected "roost-message-log"$/,
    );
  });

  it('warns about nothing on a clean open', async () => {
    const warnings = collectWarnings();
    await (await fill(40)).close();
    await (await MessageLog.open({ dir, ...options, warn: warnings.warn })).close();
    expect(warnings.messages).toEqual([]);
  });
});
