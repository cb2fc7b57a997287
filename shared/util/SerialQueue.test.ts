import { describe, expect, it } from 'vitest';
import { SerialQueue } from './SerialQueue';

describe('SerialQueue', () => {
  it('starts each task only once the one before has settled, in the order given', async () => {
    const queue = new SerialQueue();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const a = queue.run(async () => {
      started.push('a');
      await released;
      return 'A';
    });
    const b = queue.run(() => {
      started.push('b');
      return 'B';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(['a']);
    release();
    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
    expect(started).toEqual(['a', 'b']);
  });

  it('rejects only the failed task; the next one still runs', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('disk full')));
    const next = queue.run(() => 'ran');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('ran');
  });

  it('runs a task that throws synchronously as a rejection, not a throw from run', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => {
      throw new Error('bad');
    });
    await expect(failed).rejects.toThrow('bad');
  });

  it('is idle once every task given so far has settled, failed ones too', async () => {
    const queue = new SerialQueue();
    let fail!: (err: Error) => void;
    const failing = new Promise<void>((_, reject) => (fail = reject));
    let done = false;
    void queue.run(() => failing).catch(() => {});
    const idle = queue.idle().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    fail(new Error('failed'));
    await idle;
    expect(done).toBe(true);
  });

  it('passes no argument to a task, whatever the task before returned', async () => {
    const queue = new SerialQueue();
    await queue.run(() => 'previous');
    const args = await queue.run((...received: unknown[]) => received);
    expect(args).toEqual([]);
  });
});
