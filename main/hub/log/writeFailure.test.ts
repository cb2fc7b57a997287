import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog, StorageError } from './MessageLog';
import { collectWarnings, draft, fileLines, FsProbe, makeTempDir, range, removeDir } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const data = (): string => join(dir, 'a', '000000000001.jsonl');

async function openWithThree(probe: FsProbe): Promise<MessageLog> {
  const log = await MessageLog.open({ dir, fs: probe.fs });
  for (const n of range(1, 3)) await log.append('a', draft(n));
  return log;
}

describe('write failures', () => {
  it('rejects the failed batch and everything queued behind it, rolls back, and reuses the seqs', async () => {
    const probe = new FsProbe();
    const log = await openWithThree(probe);
    const durableSize = (await stat(data())).size;

    probe.holdWrites();
    probe.failNext('write', 'EIO', 'all');
    const batch = [log.append('a', draft(4)), log.append('a', draft(5))];
    await probe.writesStarted(4);
    const queuedBehind = [log.append('a', draft(6)), log.append('a', draft(7))];
    const otherConversation = log.append('b', draft(1));
    probe.release();

    const settled = await Promise.allSettled([...batch, ...queuedBehind]);
    for (const result of settled) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as StorageError;
      expect(reason).toBeInstanceOf(StorageError);
      expect(reason.code).toBe('STORAGE_FAILED');
      expect(reason.cause).toMatchObject({ code: 'EIO' });
    }
    expect((await otherConversation).message.seq).toBe(1);
    await log.flush();

    expect(log.lastSeq('a')).toBe(3);
    expect((await stat(data())).size).toBe(durableSize);
    expect((await log.readForward('a', 0, 10)).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    // Rolled back, so a retry of message 4 is new (not a duplicate) and gets seq 4 again.
    expect(await log.append('a', draft(4))).toMatchObject({ duplicate: false, message: { seq: 4 } });
    expect(await log.append('a', draft(3))).toMatchObject({ duplicate: true, message: { seq: 3 } });
    await log.close();

    const warnings = collectWarnings();
    const reopened = await MessageLog.open({ dir, warn: warnings.warn });
    expect(warnings.messages).toEqual([]);
    expect(reopened.lastSeq('a')).toBe(4);
    expect((await reopened.readForward('a', 0, 10)).messages.map((m) => m.clientMsgId)).toEqual(
      range(1, 4).map((n) => draft(n).clientMsgId),
    );
    await reopened.close();
  });

  it('cuts off the part of a line that a failed (ENOSPC) write left behind', async () => {
    const probe = new FsProbe();
    const log = await openWithThree(probe);
    const durableSize = (await stat(data())).size;
    probe.failNext('write', 'ENOSPC', 'half');
    await expect(log.append('a', draft(4))).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      cause: { code: 'ENOSPC' },
    });
    await log.flush();
    expect((await stat(data())).size).toBe(durableSize);
    expect((await log.append('a', draft(5))).message.seq).toBe(4);
    await log.close();
    expect((await fileLines(data())).map((line) => JSON.parse(line).s)).toEqual([1, 2, 3, 4]);
  });

  it('keeps rejecting until the file can be cut back, then recovers', async () => {
    const probe = new FsProbe();
    const log = await openWithThree(probe);
    probe.failNext('write', 'ENOSPC', 'half');
    probe.failNext('truncate', 'EIO');
    await expect(log.append('a', draft(4))).rejects.toBeInstanceOf(StorageError);
    await log.flush();
    // The eager cut-back failed: the file still holds half a line past the durable size.
    expect(log.lastSeq('a')).toBe(3);
    probe.failNext('truncate', 'EIO');
    await expect(log.append('a', draft(4))).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining('EIO'),
    });
    expect(await log.append('a', draft(4))).toMatchObject({ duplicate: false, message: { seq: 4 } });
    await log.close();
    expect((await fileLines(data())).map((line) => JSON.parse(line).s)).toEqual([1, 2, 3, 4]);
  });

  it('resolves what was durable before a failure in a batch that spans a segment rollover', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs, segmentBytes: 500 });
    const first = await log.append('a', draft(1));
    probe.holdWrites();
    const batch = range(2, 12).map((n) => log.append('a', draft(n)));
    await probe.writesStarted(2);
    // The first part (filling segment 1) succeeds; the next segment's write fails.
    probe.failNext('write', 'ENOSPC', 'half');
    probe.release();
    const settled = await Promise.allSettled(batch);
    const fulfilled = settled.filter((r) => r.status === 'fulfilled').length;
    expect(fulfilled).toBeGreaterThan(0);
    expect(fulfilled).toBeLessThan(batch.length);
    expect(settled.slice(0, fulfilled).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(log.lastSeq('a')).toBe(1 + fulfilled);
    expect(first.message.seq).toBe(1);
    await log.flush();
    expect((await log.append('a', draft(99))).message.seq).toBe(2 + fulfilled);
    expect((await log.readForward('a', 0, 100)).messages.map((m) => m.seq)).toEqual(range(1, 2 + fulfilled));
    await log.close();
    const reopened = await MessageLog.open({ dir, segmentBytes: 500, warn: () => undefined });
    expect(reopened.lastSeq('a')).toBe(2 + fulfilled);
    await reopened.close();
  });

  it("rolls the resend window back: failed messages' keys are forgotten, keys they pushed out come back", async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs, dedupWindow: 3 });
    for (const n of range(1, 3)) await log.append('a', draft(n));
    probe.failNext('write', 'ENOSPC', 'half');
    const failed = await Promise.allSettled([log.append('a', draft(4)), log.append('a', draft(5))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await log.append('a', draft(1))).toMatchObject({ duplicate: true, message: { seq: 1 } });
    expect(await log.append('a', draft(5))).toMatchObject({ duplicate: false, message: { seq: 4 } });
    await log.close();
  });

  it('rejects a resend waiting on an original whose commit failed', async () => {
    const probe = new FsProbe();
    const log = await openWithThree(probe);
    probe.holdWrites();
    probe.failNext('write', 'EIO', 'all');
    const original = log.append('a', draft(4));
    await probe.writesStarted(4);
    const resend = log.append('a', draft(4));
    probe.release();
    await expect(original).rejects.toBeInstanceOf(StorageError);
    await expect(resend).rejects.toBeInstanceOf(StorageError);
    expect((await log.append('a', draft(4))).message.seq).toBe(4);
    await log.close();
  });
});
