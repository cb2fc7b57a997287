import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection, TYPING_RELAY_MS, type ConnectionLimits } from './Connection';

function limits(maxSendsInFlight = 4): ConnectionLimits {
  return { framesPerSecond: 10, frameBurst: 10, maxBufferedBytes: 1024, maxSendsInFlight };
}

describe('Connection.mayRelayTyping', () => {
  it('lets one typing per conversation through every TYPING_RELAY_MS', () => {
    const conn = new Connection({} as WebSocket, '10.0.0.1', limits());
    expect(conn.mayRelayTyping('general', 1_000)).toBe(true);
    expect(conn.mayRelayTyping('general', 1_000 + TYPING_RELAY_MS - 1)).toBe(false);
    expect(conn.mayRelayTyping('other', 1_500)).toBe(true);
    expect(conn.mayRelayTyping('general', 1_000 + TYPING_RELAY_MS)).toBe(true);
  });
});

describe('Connection.oneReadAtATime', () => {
  it('runs reads one after another, and a failed read does not stop the next', async () => {
    const conn = new Connection({} as WebSocket, '10.0.0.1', limits());
    const events: string[] = [];
    let finishFirst!: () => void;
    const first = conn.oneReadAtATime(
      () =>
        new Promise<void>((resolve) => {
          events.push('first started');
          finishFirst = () => {
            events.push('first done');
            resolve();
          };
        }),
    );
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

describe('Connection.storingSend', () => {
  function pausable() {
    const ws = {
      isPaused: false,
      calls: [] as string[],
      pause() {
        this.isPaused = true;
        this.calls.push('pause');
      },
      resume() {
        this.isPaused = false;
        this.calls.push('resume');
      },
    };
    return ws;
  }

  it('stops reading at maxSendsInFlight, resumes as alive once at most half wait, failures included', async () => {
    const ws = pausable();
    const conn = new Connection(ws as unknown as WebSocket, '10.0.0.1', limits());
    const settle: Array<(ok: boolean) => void> = [];
    const sends = Array.from({ length: 4 }, () =>
      conn.storingSend(
        () => new Promise<void>((resolve, reject) => settle.push((ok) => (ok ? resolve() : reject(new Error('disk'))))),
      ),
    );
    expect(ws.calls).toEqual(['pause']);
    expect(conn.waitingForStorage).toBe(true);
    // A heartbeat passed while paused; the pong it got is still unread.
    conn.alive = false;
    settle[0]!(true);
    await sends[0];
    expect(ws.calls).toEqual(['pause']);
    settle[1]!(false);
    await expect(sends[1]).rejects.toThrow('disk');
    expect(ws.calls).toEqual(['pause', 'resume']);
    expect(conn.waitingForStorage).toBe(false);
    expect(conn.alive).toBe(true);
    settle[2]!(true);
    settle[3]!(true);
    await Promise.all([sends[2], sends[3]]);
    expect(ws.calls).toEqual(['pause', 'resume']);
  });

  it('starts each send before returning, so seqs follow frame order', () => {
    const conn = new Connection(pausable() as unknown as WebSocket, '10.0.0.1', limits());
    const started: number[] = [];
    void conn.storingSend(async () => void started.push(1));
    void conn.storingSend(async () => void started.push(2));
    expect(started).toEqual([1, 2]);
  });

  it('counts out a send that throws before it is under way, so the socket is read again', async () => {
    const ws = pausable();
    const conn = new Connection(ws as unknown as WebSocket, '10.0.0.1', limits(2));
    let release!: () => void;
    const held = conn.storingSend(() => new Promise<void>((resolve) => (release = resolve)));
    const thrown = conn.storingSend(() => {
      throw new Error('bug');
    });
    expect(ws.calls).toEqual(['pause']);
    await expect(thrown).rejects.toThrow('bug');
    expect(ws.calls).toEqual(['pause', 'resume']);
    release();
    await held;
  });
});
