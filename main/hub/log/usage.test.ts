import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog, QuotaError, StorageError } from './MessageLog';
import { collectWarnings, draft, FsProbe, makeTempDir, range, removeDir, segmentFiles } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** What each user's lines take on disk, newline included, read straight from the segment files. */
async function bytesOnDisk(): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const conversation of ['a', 'b']) {
    const files = await segmentFiles(join(dir, conversation), 'jsonl').catch(() => []);
    for (const file of files) {
      const text = await readFile(join(dir, conversation, file), 'utf8');
      for (const line of text.split('\n').filter((l) => l !== '')) {
        const user = (JSON.parse(line) as { u: string }).u;
        totals.set(user, (totals.get(user) ?? 0) + Buffer.byteLength(line) + 1);
      }
    }
  }
  return totals;
}

/** Overwrites the middle of a file with junk of the same size: reading it would fail or warn. */
async function garbleMiddle(path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const middle = Math.floor(text.length / 2);
  await writeFile(path, `${text.slice(0, middle - 20)}${'#'.repeat(40)}${text.slice(middle + 20)}`);
}

async function fill(log: MessageLog, conversation: string, from: number, to: number, sender: string): Promise<void> {
  for (const n of range(from, to)) await log.append(conversation, draft(n, sender));
}

describe('storage used per user', () => {
  it("counts each user's lines in all conversations, refuses an append past the limit, not others'", async () => {
    const log = await MessageLog.open({ dir, maxBytesPerUser: 2000 });
    await fill(log, 'a', 1, 10, 'alice');
    await fill(log, 'b', 11, 12, 'alice');
    await fill(log, 'a', 13, 14, 'bob');
    const disk = await bytesOnDisk();
    expect(log.bytesStoredBy('alice')).toBe(disk.get('alice'));
    expect(log.bytesStoredBy('bob')).toBe(disk.get('bob'));

    let refused: unknown = null;
    for (const n of range(15, 100)) {
      refused = await log.append('b', draft(n, 'alice')).then(
        () => null,
        (err: unknown) => err,
      );
      if (refused) break;
    }
    expect(refused).toBeInstanceOf(QuotaError);
    expect(refused).toMatchObject({ code: 'STORAGE_QUOTA', userId: 'alice', limitBytes: 2000 });
    expect(log.bytesStoredBy('alice')).toBeLessThanOrEqual(2000);
    expect(log.bytesStoredBy('alice')).toBe((await bytesOnDisk()).get('alice'));
    // A resend of what is stored needs no space, and someone else still has theirs.
    expect(await log.append('a', draft(1, 'alice'))).toMatchObject({ duplicate: true });
    expect((await log.append('a', draft(200, 'bob'))).duplicate).toBe(false);
    await log.close();
  });

  it('counts appends still being committed, so a burst cannot overshoot the limit', async () => {
    const log = await MessageLog.open({ dir, maxBytesPerUser: 3000 });
    const settled = await Promise.allSettled(range(1, 100).map((n) => log.append('a', draft(n, 'alice'))));
    const stored = settled.filter((r) => r.status === 'fulfilled').length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(100);
    for (const r of settled.slice(stored)) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(QuotaError);
    expect((await bytesOnDisk()).get('alice')).toBeLessThanOrEqual(3000);
    await log.close();
  });

  it('counts a deletion against its sender but never refuses one, so a user at the limit can delete', async () => {
    const log = await MessageLog.open({ dir, maxBytesPerUser: 500 });
    await fill(log, 'a', 1, 5, 'alice');
    await expect(log.append('a', draft(6, 'alice'))).rejects.toBeInstanceOf(QuotaError);
    const before = log.bytesStoredBy('alice');
    const alice = { clientMsgId: 'deletion-1', senderUserId: 'alice', senderDeviceId: 'alice-laptop' };
    const { record, erased } = await log.delete('a', 2, alice);
    await erased;
    expect(record).toMatchObject({ deletes: 2, senderUserId: 'alice' });
    expect(log.bytesStoredBy('alice')).toBeGreaterThan(before);
    expect(log.bytesStoredBy('alice')).toBe((await bytesOnDisk()).get('alice'));
    await expect(log.append('a', draft(7, 'alice'))).rejects.toBeInstanceOf(QuotaError);
    await log.close();
  });

  it('gives back the bytes of an append the disk refused', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs });
    await fill(log, 'a', 1, 3, 'alice');
    const before = log.bytesStoredBy('alice');
    probe.failNext('write', 'ENOSPC');
    await expect(log.append('a', draft(4, 'alice'))).rejects.toBeInstanceOf(StorageError);
    expect(log.bytesStoredBy('alice')).toBe(before);
    await log.close();
  });

  it('refuses message writes while admitWrites says no, at append and at commit, and stores again after', async () => {
    let admit = true;
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs, admitWrites: () => admit });
    await fill(log, 'a', 1, 2, 'alice');
    admit = false;
    await expect(log.append('a', draft(3, 'alice'))).rejects.toThrow(/kept for device removals/);
    // Admitted, then the reserve is taken before its commit starts: refused all the same.
    admit = true;
    probe.holdWrites();
    const inFlight = log.append('a', draft(3, 'alice'));
    await probe.writesStarted(3);
    const queued = log.append('a', draft(4, 'alice'));
    admit = false;
    probe.release();
    await inFlight;
    await expect(queued).rejects.toBeInstanceOf(StorageError);
    admit = true;
    expect((await log.append('a', draft(4, 'alice'))).message.seq).toBe(4);
    expect(log.bytesStoredBy('alice')).toBe((await bytesOnDisk()).get('alice'));
    await log.close();
  });
});

describe('usage.json: the counts without reading the history at start-up', () => {
  const options = { segmentBytes: 600, indexInterval: 4 };

  it('after a clean stop, takes the counts from the checkpoint and reads no message for them', async () => {
    const first = await MessageLog.open({ dir, ...options });
    await fill(first, 'a', 1, 40, 'alice');
    await fill(first, 'b', 41, 45, 'bob');
    await first.close();
    const expected = await bytesOnDisk();
    // A read of this sealed segment would now fail: the counts must not come from reading it.
    const sealed = await segmentFiles(join(dir, 'a'), 'jsonl');
    await garbleMiddle(join(dir, 'a', sealed[0]!));

    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, ...options, warn: warnings.warn });
    await log.usageCounted();
    expect(log.bytesStoredBy('alice')).toBe(expected.get('alice'));
    expect(log.bytesStoredBy('bob')).toBe(expected.get('bob'));
    expect(warnings.messages).toEqual([]);
    await log.close();
  });

  it('after a crash, counts only the messages stored since the last checkpoint', async () => {
    const first = await MessageLog.open({ dir, ...options });
    await fill(first, 'a', 1, 40, 'alice');
    await first.close();
    const sealed = await segmentFiles(join(dir, 'a'), 'jsonl');
    const second = await MessageLog.open({ dir, ...options });
    await fill(second, 'a', 41, 50, 'alice');
    await fill(second, 'b', 51, 53, 'bob');
    // A copy of the directory as it is now is what a crash would leave: the checkpoint still counts 1..40.
    const crashed = `${dir}-crashed`;
    await cp(dir, crashed, { recursive: true });
    await second.close();
    const expected = await bytesOnDisk();
    await garbleMiddle(join(crashed, 'a', sealed[0]!));

    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir: crashed, ...options, warn: warnings.warn });
    await log.usageCounted();
    expect(log.bytesStoredBy('alice')).toBe(expected.get('alice'));
    expect(log.bytesStoredBy('bob')).toBe(expected.get('bob'));
    expect(warnings.messages).toEqual([]);
    await log.close();
    await removeDir(crashed);
  });

  it('without a checkpoint (first start of this version), counts the whole log in the background once', async () => {
    const first = await MessageLog.open({ dir, ...options });
    await fill(first, 'a', 1, 30, 'alice');
    await fill(first, 'b', 31, 35, 'bob');
    await first.close();
    const expected = await bytesOnDisk();
    await rm(join(dir, 'usage.json'));

    const log = await MessageLog.open({ dir, ...options });
    await log.usageCounted();
    expect(log.bytesStoredBy('alice')).toBe(expected.get('alice'));
    expect(log.bytesStoredBy('bob')).toBe(expected.get('bob'));
    await log.close();
    expect(JSON.parse(await readFile(join(dir, 'usage.json'), 'utf8'))).toMatchObject({
      conversations: { a: { seq: 30, bytes: { alice: expected.get('alice') } } },
    });
  });

  it('recounts a conversation whose checkpoint is past its end (its folder restored from an older copy)', async () => {
    const first = await MessageLog.open({ dir, ...options });
    await fill(first, 'a', 1, 10, 'alice');
    await first.close();
    const older = `${dir}-older`;
    await cp(join(dir, 'a'), older, { recursive: true });
    const second = await MessageLog.open({ dir, ...options });
    await fill(second, 'a', 11, 40, 'alice');
    await second.close();
    await rm(join(dir, 'a'), { recursive: true });
    await cp(older, join(dir, 'a'), { recursive: true });
    const expected = await bytesOnDisk();

    const log = await MessageLog.open({ dir, ...options });
    await log.usageCounted();
    expect(log.lastSeq('a')).toBe(10);
    expect(log.bytesStoredBy('alice')).toBe(expected.get('alice'));
    await log.close();
    await removeDir(older);
  });

  it('treats an unreadable checkpoint as none, with a warning', async () => {
    const first = await MessageLog.open({ dir, ...options });
    await fill(first, 'a', 1, 12, 'alice');
    await first.close();
    const expected = await bytesOnDisk();
    await writeFile(join(dir, 'usage.json'), 'null');
    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, ...options, warn: warnings.warn });
    await log.usageCounted();
    expect(log.bytesStoredBy('alice')).toBe(expected.get('alice'));
    expect(warnings.messages.join('\n')).toContain('usage.json is not a usage checkpoint');
    await log.close();
  });
});
