import type { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection } from './Connection';
import { PRESENCE_FLUSH_MS, PresenceAnnouncer } from './PresenceAnnouncer';
import { Sessions } from './Sessions';

type Sent = { type: string; userId?: string; online?: boolean };

/** A ready connection whose frames are recorded (no TCP socket, so sendShared goes through ws.send). */
function readyConnection(
  sessions: Sessions,
  presence: PresenceAnnouncer,
  userId: string,
  deviceId: string,
): { conn: Connection; sent: Sent[] } {
  const sent: Sent[] = [];
  const ws = {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send: (data: Buffer) => sent.push(JSON.parse(data.toString('utf8')) as Sent),
  };
  const conn = new Connection(ws as unknown as WebSocket, '127.0.0.1', {
    framesPerSecond: 10,
    frameBurst: 10,
    maxBufferedBytes: 1024,
    maxSendsInFlight: 4,
  });
  conn.greet();
  conn.authenticate({ userId, deviceId });
  // The order enterSession uses: join, record the change, then take the snapshot.
  if (sessions.add(conn)) presence.changed(userId);
  presence.snapshotTaken(conn);
  return { conn, sent };
}

function leave(sessions: Sessions, presence: PresenceAnnouncer, conn: Connection): void {
  if (sessions.remove(conn)) presence.changed(conn.userId);
}

describe('PresenceAnnouncer', () => {
  let sessions: Sessions;
  let presence: PresenceAnnouncer;
  let errors: unknown[];

  beforeEach(() => {
    vi.useFakeTimers();
    sessions = new Sessions();
    errors = [];
    presence = new PresenceAnnouncer(sessions, (err) => errors.push(err));
  });
  afterEach(() => {
    presence.stop();
    vi.useRealTimers();
    expect(errors).toEqual([]);
  });

  it('gathers the changes of one window and then announces them together, in the order users first changed', () => {
    const alice = readyConnection(sessions, presence, 'alice', 'a1');
    vi.advanceTimersByTime(PRESENCE_FLUSH_MS);
    readyConnection(sessions, presence, 'bob', 'b1');
    readyConnection(sessions, presence, 'carol', 'c1');
    vi.advanceTimersByTime(PRESENCE_FLUSH_MS - 1);
    expect(alice.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(alice.sent).toEqual([
      { type: 'presence', userId: 'bob', online: true },
      { type: 'presence', userId: 'carol', online: true },
    ]);
  });

  it('tells a connection only what its ready snapshot did not show', () => {
    const alice = readyConnection(sessions, presence, 'alice', 'a1');
    const bob = readyConnection(sessions, presence, 'bob', 'b1');
    const carol = readyConnection(sessions, presence, 'carol', 'c1');
    presence.flush();
    // Alice's snapshot predates Bob and Carol; Bob's shows Alice and himself; Carol's shows everyone.
    expect(alice.sent.map((f) => f.userId)).toEqual(['bob', 'carol']);
    expect(bob.sent.map((f) => f.userId)).toEqual(['carol']);
    expect(carol.sent).toEqual([]);
  });

  it('announces a user who came and went within one window once, with the state at its end', () => {
    const alice = readyConnection(sessions, presence, 'alice', 'a1');
    presence.flush();
    const ghost = readyConnection(sessions, presence, 'ghost', 'g1');
    leave(sessions, presence, ghost.conn);
    vi.advanceTimersByTime(PRESENCE_FLUSH_MS);
    expect(alice.sent).toEqual([{ type: 'presence', userId: 'ghost', online: false }]);
  });

  it(
    'tells those who knew a user online, once, when the user dropped and came back within one window, ' +
      'and one who joined in between',
    () => {
      const alice = readyConnection(sessions, presence, 'alice', 'a1');
      const bob = readyConnection(sessions, presence, 'bob', 'b1');
      presence.flush();
      alice.sent.length = 0;
      leave(sessions, presence, bob.conn);
      // Carol's snapshot shows Bob offline.
      const carol = readyConnection(sessions, presence, 'carol', 'c1');
      const bobAgain = readyConnection(sessions, presence, 'bob', 'b1');
      vi.advanceTimersByTime(PRESENCE_FLUSH_MS);
      expect(alice.sent.filter((f) => f.userId === 'bob')).toEqual([{ type: 'presence', userId: 'bob', online: true }]);
      expect(carol.sent).toEqual([{ type: 'presence', userId: 'bob', online: true }]);
      expect(bobAgain.sent).toEqual([]);
    },
  );

  it('keeps announcing to the others when sending to one connection throws, and reports the error', () => {
    const alice = readyConnection(sessions, presence, 'alice', 'a1');
    const bob = readyConnection(sessions, presence, 'bob', 'b1');
    presence.flush();
    alice.sent.length = 0;
    bob.sent.length = 0;
    const broken = new Error('socket gone');
    vi.spyOn(alice.conn, 'sendShared').mockImplementation(() => {
      throw broken;
    });
    readyConnection(sessions, presence, 'carol', 'c1');
    vi.advanceTimersByTime(PRESENCE_FLUSH_MS);
    expect(bob.sent).toEqual([{ type: 'presence', userId: 'carol', online: true }]);
    expect(errors.splice(0)).toEqual([broken]);
  });

  it('says nothing when a second device of an online user comes or goes', () => {
    const alice = readyConnection(sessions, presence, 'alice', 'a1');
    readyConnection(sessions, presence, 'bob', 'b1');
    presence.flush();
    alice.sent.length = 0;
    const bob2 = readyConnection(sessions, presence, 'bob', 'b2');
    leave(sessions, presence, bob2.conn);
    vi.advanceTimersByTime(PRESENCE_FLUSH_MS);
    expect(alice.sent).toEqual([]);
  });

  it('drops what is pending when stopped, and announces nothing after', () => {
    const alice = readyConnection(sessions, presence, 'alice', 'a1');
    presence.flush();
    readyConnection(sessions, presence, 'bob', 'b1');
    presence.stop();
    readyConnection(sessions, presence, 'carol', 'c1');
    vi.advanceTimersByTime(PRESENCE_FLUSH_MS * 2);
    expect(alice.sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
