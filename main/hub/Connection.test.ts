import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection, TYPING_RELAY_MS, type ConnectionLimits } from './Connection';

function limits(maxSendsInFlight = 4): ConnectionLimits {
  return { framesPerSecond: 10, frameBurst: 10, maxBufferedBytes: 1024, maxSendsInFlight };
}

/** A WebSocket stand-in that records what the connection does to it. */
function recordingWs() {
  const calls: string[] = [];
  const ws = {
    isPaused: false,
    close: (code: number) => calls.push(`close ${code}`),
    ping: () => calls.push('ping'),
    terminate: () => calls.push('terminate'),
  };
  return { ws: ws as unknown as WebSocket, calls };
}

describe('Connection state machine (PROTOCOL.md 5)', () => {
  const fresh = () => new Connection(recordingWs().ws, '10.0.0.1', limits());
  const alice = { userId: 'alice', deviceId: 'a1' };

  it('goes connected → greeted → ready by auth, and by pair through authenticating, back to greeted if refused', () => {
    const byAuth = fresh();
    expect(byAuth.state).toBe('connected');
    byAuth.greet();
    expect(byAuth.state).toBe('greeted');
    byAuth.authenticate(alice);
    expect(byAuth.state).toBe('ready');
    expect([byAuth.userId, byAuth.deviceId]).toEqual(['alice', 'a1']);

    const byPair = fresh();
    byPair.greet();
    byPair.startPairing();
    expect(byPair.state).toBe('authenticating');
    byPair.refusePairing();
    expect(byPair.state).toBe('greeted');
    expect(byPair.userId).toBe('');
    byPair.startPairing();
    byPair.authenticate(alice);
    expect(byPair.state).toBe('ready');
  });

  it('refuses every move the state machine does not have, and leaves the state as it was', () => {
    const connected = fresh();
    expect(() => connected.startPairing()).toThrow('from "connected" to "authenticating"');
    expect(() => connected.authenticate(alice)).toThrow('from "connected" to "ready"');
    expect(() => connected.refusePairing()).toThrow('from "connected" to "greeted"');
    expect(connected.state).toBe('connected');

    const ready = fresh();
    ready.greet();
    ready.authenticate(alice);
    expect(() => ready.greet()).toThrow('from "ready" to "greeted"');
    expect(() => ready.startPairing()).toThrow('from "ready" to "authenticating"');
    expect(() => ready.authenticate({ userId: 'mallory', deviceId: 'm1' })).toThrow('from "ready" to "ready"');
    expect(() => ready.refusePairing()).toThrow('from "ready" to "greeted"');
    expect([ready.state, ready.userId]).toEqual(['ready', 'alice']);
  });

  it('closes from any state, once, and never leaves closed; a pairing refused after its close is ignored', () => {
    const { ws, calls } = recordingWs();
    const conn = new Connection(ws, '10.0.0.1', limits());
    conn.greet();
    conn.startPairing();
    conn.close(4000, 'bye');
    conn.close(4000, 'bye');
    expect(calls).toEqual(['close 4000']);
    expect(conn.state).toBe('closed');
    conn.refusePairing();
    expect(() => conn.authenticate(alice)).toThrow('from "closed" to "ready"');
    expect(() => conn.greet()).toThrow('from "closed" to "greeted"');
    expect(conn.state).toBe('closed');

    const dropped = fresh();
    dropped.socketClosed();
    expect(dropped.state).toBe('closed');
  });

  it('pings at each heartbeat, and drops a connection not heard from since the last one', () => {
    const { ws, calls } = recordingWs();
    const conn = new Connection(ws, '10.0.0.1', limits());
    conn.heartbeat();
    conn.markAlive();
    conn.heartbeat();
    expect(calls).toEqual(['ping', 'ping']);
    conn.heartbeat();
    expect(calls).toEqual(['ping', 'ping', 'terminate']);
  });
});

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
      ping() {
        this.calls.push('ping');
      },
      terminate() {
        this.calls.push('terminate');
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
    // Two heartbeats passed while paused; the pong the first got is still unread, yet it is not dropped.
    conn.heartbeat();
    conn.heartbeat();
    expect(conn.alive).toBe(false);
    settle[0]!(true);
    await sends[0];
    expect(ws.calls).toEqual(['pause', 'ping', 'ping']);
    settle[1]!(false);
    await expect(sends[1]).rejects.toThrow('disk');
    expect(ws.calls).toEqual(['pause', 'ping', 'ping', 'resume']);
    expect(conn.waitingForStorage).toBe(false);
    expect(conn.alive).toBe(true);
    settle[2]!(true);
    settle[3]!(true);
    await Promise.all([sends[2], sends[3]]);
    expect(ws.calls).toEqual(['pause', 'ping', 'ping', 'resume']);
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
