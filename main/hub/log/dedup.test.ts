import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog } from './MessageLog';
import { RecentIds } from './RecentIds';
import { draft, fileLines, FsProbe, makeTempDir, range, removeDir } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('RecentIds', () => {
  it('forgets exactly the pairs that left the window', () => {
    const ids = new RecentIds(3);
    for (const seq of range(1, 5)) ids.add(seq, `k${seq}`);
    expect([1, 2, 3, 4, 5].map((n) => ids.get(`k${n}`))).toEqual([undefined, undefined, 3, 4, 5]);
    expect(ids.size).toBe(3);
  });

  it('keeps a key that was stored again under a newer seq', () => {
    const ids = new RecentIds(2);
    ids.add(1, 'x');
    ids.add(2, 'y');
    ids.add(3, 'x');
    ids.add(4, 'z');
    expect(ids.get('x')).toBe(3);
    expect(ids.get('y')).toBeUndefined();
  });

  it('rolls back adds newest first, restoring the pairs they pushed out', () => {
    const ids = new RecentIds(3);
    for (const seq of range(1, 3)) ids.add(seq, `k${seq}`);
    const d4 = ids.add(4, 'k4');
    const d5 = ids.add(5, 'k5');
    expect(ids.get('k1')).toBeUndefined();
    ids.remove(5, 'k5', d5);
    ids.remove(4, 'k4', d4);
    expect([1, 2, 3, 4, 5].map((n) => ids.get(`k${n}`))).toEqual([1, 2, 3, undefined, undefined]);
    ids.add(4, 'k9');
    expect([ids.get('k1'), ids.get('k9')]).toEqual([undefined, 4]);
  });

  it('remembers nothing with a window of 0', () => {
    const ids = new RecentIds(0);
    ids.add(1, 'x');
    expect(ids.get('x')).toBeUndefined();
  });

  it('keys cannot collide across sender and message id', () => {
    expect(RecentIds.key('ab', 'c')).not.toBe(RecentIds.key('a', 'bc'));
  });
});

describe('MessageLog resends', () => {
  it('returns the original for a resend after commit and stores nothing', async () => {
    const log = await MessageLog.open({ dir, now: () => 42 });
    const original = await log.append('a', draft(1));
    await log.append('a', draft(2));
    const resend = await log.append('a', {
      ...draft(1),
      text: 'text of a retry is ignored',
      senderDeviceId: 'other-device',
    });
    expect(resend).toEqual({ message: original.message, duplicate: true });
    expect(log.lastSeq('a')).toBe(2);
    await log.close();
    expect(await fileLines(join(dir, 'a', '000000000001.jsonl'))).toHaveLength(2);
  });

  it('makes a resend that arrives while the original is in flight wait for it, never storing two copies', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs });
    await log.append('a', draft(0));
    probe.holdWrites();
    const original = log.append('a', draft(1));
    await probe.writesStarted(2);
    const resend = log.append('a', draft(1));
    const queuedResend = log.append('a', draft(1));
    probe.release();
    const [o, r, q] = await Promise.all([original, resend, queuedResend]);
    expect(o).toMatchObject({ duplicate: false, message: { seq: 2 } });
    expect(r).toEqual({ message: o.message, duplicate: true });
    expect(q).toEqual({ message: o.message, duplicate: true });
    expect(log.lastSeq('a')).toBe(2);
    await log.close();
    expect(await fileLines(join(dir, 'a', '000000000001.jsonl'))).toHaveLength(2);
  });

  it('recognises a resend fired in the same tick as the original', async () => {
    const log = await MessageLog.open({ dir });
    const [o, r] = await Promise.all([log.append('a', draft(1)), log.append('a', draft(1))]);
    expect(o.duplicate).toBe(false);
    expect(r).toEqual({ message: o.message, duplicate: true });
    await log.close();
  });

  it('treats the same clientMsgId from another sender, or in another conversation, as a new message', async () => {
    const log = await MessageLog.open({ dir });
    await log.append('a', draft(1, 'alice'));
    expect((await log.append('a', draft(1, 'bob'))).duplicate).toBe(false);
    expect((await log.append('b', draft(1, 'alice'))).duplicate).toBe(false);
    await log.close();
  });

  it('recognises resends only within dedupWindow messages', async () => {
    const log = await MessageLog.open({ dir, dedupWindow: 5 });
    for (const n of range(1, 10)) await log.append('a', draft(n));
    expect(await log.append('a', draft(6))).toMatchObject({ duplicate: true, message: { seq: 6 } });
    expect(await log.append('a', draft(5))).toMatchObject({ duplicate: false, message: { seq: 11 } });
    await log.close();
  });

  it('loads the window lazily after reopen: a resend of a message from before the reopen is a duplicate', async () => {
    const first = await MessageLog.open({ dir, dedupWindow: 50, indexInterval: 4, segmentBytes: 2000 });
    const originals = [];
    for (const n of range(1, 80)) originals.push((await first.append('a', draft(n))).message);
    await first.close();

    const log = await MessageLog.open({ dir, dedupWindow: 50, indexInterval: 4, segmentBytes: 2000 });
    const [resendOld, resendRecent, fresh, resendInSameTick] = await Promise.all([
      log.append('a', draft(20)),
      log.append('a', draft(75)),
      log.append('a', draft(81)),
      log.append('a', draft(81)),
    ]);
    expect(resendRecent).toEqual({ message: originals[74], duplicate: true });
    // 20 is outside the newest 50 of 80: stored again.
    expect(resendOld).toMatchObject({ duplicate: false, message: { seq: 81 } });
    expect(fresh).toMatchObject({ duplicate: false, message: { seq: 82 } });
    expect(resendInSameTick).toEqual({ message: fresh.message, duplicate: true });
    expect(log.lastSeq('a')).toBe(82);
    await log.close();
  });
});
