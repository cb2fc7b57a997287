import { describe, expect, it } from 'vitest';
import { browserClock, followBrowserNetwork, randomId } from './browserEnvironment';

describe('browser environment', () => {
  it('makes clientMsgIds the protocol accepts, 22 characters of 128 random bits', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('runs and cancels timers', async () => {
    const fired: string[] = [];
    const cancelled = browserClock.setTimeout(() => fired.push('cancelled'), 0);
    browserClock.clearTimeout(cancelled);
    await new Promise<void>((resolve) => browserClock.setTimeout(() => resolve(), 0));
    expect(fired).toEqual([]);
    expect(Math.abs(browserClock.now() - Date.now())).toBeLessThan(1000);
  });

  it('drops the connection on "offline", reconnects on "online", and stops following when told', () => {
    const calls: string[] = [];
    const target = new EventTarget();
    const unfollow = followBrowserNetwork(
      { networkLost: () => calls.push('lost'), retryNow: () => calls.push('retry') },
      target,
    );
    target.dispatchEvent(new Event('offline'));
    target.dispatchEvent(new Event('online'));
    unfollow();
    target.dispatchEvent(new Event('offline'));
    expect(calls).toEqual(['lost', 'retry']);
  });
});
