import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection, TYPING_RELAY_MS } from './Connection';

describe('Connection.mayRelayTyping', () => {
  it('lets one typing per conversation through every TYPING_RELAY_MS', () => {
    const conn = new Connection({} as WebSocket, '10.0.0.1', { framesPerSecond: 10, frameBurst: 10, maxBufferedBytes: 1024 });
    expect(conn.mayRelayTyping('general', 1_000)).toBe(true);
    expect(conn.mayRelayTyping('general', 1_000 + TYPING_RELAY_MS - 1)).toBe(false);
    expect(conn.mayRelayTyping('other', 1_500)).toBe(true);
    expect(conn.mayRelayTyping('general', 1_000 + TYPING_RELAY_MS)).toBe(true);
  });
});

describe('Connection.oneReadAtATime', () => {
  it('runs reads one after another, and a failed read does not stop the next', async () => {
    const conn = new Connection({} as WebSocket, '10.0.0.1', { framesPerSecond: 10, frameBurst: 10, maxBufferedBytes: 1024 });
    const events: string[] = [];
    let finishFirst!: () => void;
    const first = conn.oneReadAtATime(() => new Promise<void>((resolve) => {
      events.push('first started');
      finishFirst = () => {
        events.push('first done');
        resolve();
      };
    }));
    const failing = conn.oneReadAtATime(async () => {
      events.push('second started');
      throw new Error('disk');
    });
    const third = conn.oneReadAtATime(async () => {
      events.push('third started');
    });
    await Promise.resolve();
    expect(events).toEqual(['first started']);
    finishFirst();
    await first;
    await expect(failing).rejects.toThrow('disk');
    await third;
    expect(events).toEqual(['first started', 'first done', 'second started', 'third started']);
  });
});
