import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './GroupCommit';
import { MessageLog } from './MessageLog';
import { deferred, draft, fileLines, FsProbe, makeTempDir, range, removeDir } from './testSupport';

describe('GroupCommit', () => {
  it('commits what was pushed in one tick together, and what arrives during a commit in the next one', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const firstStarted = deferred();
    const allDone = deferred();
    const commits = new GroupCommit<number>(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) {
        firstStarted.resolve();
        await gate.promise;
      }
      if (batch.includes(9)) allDone.resolve();
    });
    for (const n of [1, 2, 3]) commits.push(n);
    await firstStarted.promise;
    for (const n of [4, 5, 6, 7, 8, 9]) commits.push(n);
    expect(commits.queued).toBe(6);
    gate.resolve();
    await allDone.promise;
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7, 8, 9],
    ]);
  });

  it('starts the next commit before settling the previous one, and settles every batch in order', async () => {
    const events: string[] = [];
    const allSettled = deferred();
    let gate = deferred();
    const commits = new GroupCommit<number>(async (batch) => {
      events.push(`start ${batch.join(',')}`);
      await gate.promise;
      return () => {
        events.push(`settle ${batch.join(',')}`);
        if (batch.includes(3)) allSettled.resolve();
      };
    });
    commits.push(1);
    await Promise.resolve();
    commits.push(2);
    commits.push(3);
    const first = gate;
    gate = deferred();
    first.resolve();
    // The second batch's write is under way before the first batch hears back.
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual(['start 1', 'start 2,3', 'settle 1']);
    gate.resolve();
    await allSettled.promise;
    expect(events).toEqual(['start 1', 'start 2,3', 'settle 1', 'settle 2,3']);
  });
});

describe('MessageLog group commit', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('stores 500 unawaited appends with seqs 1..500, in order, with far fewer durable writes', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs });
    const resolvedInOrder: number[] = [];
    const appends = range(1, 500).map((n) =>
      log.append('lobby', draft(n)).then((r) => {
        resolvedInOrder.push(r.message.seq);
        return r;
      }),
    );
    const results = await Promise.all(appends);
    expect(results.map((r) => r.message.seq)).toEqual(range(1, 500));
    expect(results.map((r) => r.message.clientMsgId)).toEqual(range(1, 500).map((n) => draft(n).clientMsgId));
    expect(resolvedInOrder).toEqual(range(1, 500));
    expect(probe.writes).toBeLessThanOrEqual(5);
    expect(probe.durableWrites).toBe(probe.writes);
    expect(await fileLines(join(dir, 'lobby', '000000000001.jsonl'))).toHaveLength(500);
    await log.close();
  });

  it('queues appends that arrive while a commit is in flight and writes them in one durable write', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs });
    await log.append('lobby', draft(0, 'warmup'));
    const before = { writes: probe.writes, durableWrites: probe.durableWrites };

    probe.holdWrites();
    const first = log.append('lobby', draft(1));
    await probe.writesStarted(before.writes + 1);
    const queued = range(2, 100).map((n) => log.append('lobby', draft(n)));
    probe.release();
    const results = await Promise.all([first, ...queued]);

    expect(results.map((r) => r.message.seq)).toEqual(range(2, 101));
    expect(probe.writes - before.writes).toBe(2);
    expect(probe.durableWrites - before.durableWrites).toBe(2);
    expect(probe.writeSizes.slice(-2)[1]).toBeGreaterThan(98 * 40);
    await log.close();
  });

  it('commits different conversations in parallel', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs });
    probe.holdWrites();
    const a = log.append('room-a', draft(1));
    const b = log.append('room-b', draft(1));
    // Both durable writes are in flight at once;
    // if commits were serialised across conversations this would never resolve.
    await probe.writesStarted(2);
    probe.release();
    expect((await a).message.seq).toBe(1);
    expect((await b).message.seq).toBe(1);
    await log.close();
  });

  it('splits one batch across a segment rollover, one durable write per file', async () => {
    const probe = new FsProbe();
    const log = await MessageLog.open({ dir, fs: probe.fs, segmentBytes: 1000 });
    const results = await Promise.all(range(1, 60).map((n) => log.append('lobby', draft(n))));
    expect(results.map((r) => r.message.seq)).toEqual(range(1, 60));
    expect(probe.durableWrites).toBe(probe.writes);
    const page = await log.readForward('lobby', 0, 100);
    expect(page.messages.map((m) => m.seq)).toEqual(range(1, 60));
    await log.close();
    const reopened = await MessageLog.open({ dir, segmentBytes: 1000 });
    expect(reopened.lastSeq('lobby')).toBe(60);
    expect((await reopened.readForward('lobby', 0, 100)).messages).toEqual(page.messages);
    await reopened.close();
  });
});
