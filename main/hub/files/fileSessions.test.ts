import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FileSessions, FileTickets } from './fileSessions';

function request(): EventEmitter & { destroyed: boolean; destroy(): void } {
  const emitter = Object.assign(new EventEmitter(), {
    destroyed: false,
    destroy() {
      emitter.destroyed = true;
      emitter.emit('close');
    },
  });
  return emitter;
}

describe('FileTickets', () => {
  it('a ticket is 43 characters, works once, for 60 s, for the device it was issued to', () => {
    const clock = { now: 1000 };
    const tickets = new FileTickets({ now: () => clock.now });
    const { ticket, expiresAt } = tickets.issue('d1', 'u1');
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(61_000);
    expect(tickets.consume(ticket)).toEqual({ deviceId: 'd1', userId: 'u1' });
    expect(tickets.consume(ticket)).toBeUndefined();
    const late = tickets.issue('d1', 'u1');
    clock.now += 60_000;
    expect(tickets.consume(late.ticket)).toBeUndefined();
  });
});

describe('FileSessions', () => {
  it('keeps at most 4 sessions per device, dropping the oldest, and ends them after 12 h', () => {
    const clock = { now: 0 };
    const sessions = new FileSessions({ now: () => clock.now });
    const made = Array.from({ length: 5 }, () => sessions.create('d1', 'u1').session);
    const other = sessions.create('d2', 'u2').session;
    expect(made.map((s) => sessions.lookup(s) !== undefined)).toEqual([false, true, true, true, true]);
    expect(sessions.lookup(other)).toMatchObject({ deviceId: 'd2', userId: 'u2' });
    clock.now += 12 * 60 * 60 * 1000;
    expect(sessions.lookup(other)).toBeUndefined();
  });

  it("dropDevice ends the device's sessions and cuts its requests in flight, not others'", () => {
    const sessions = new FileSessions({ now: () => 0 });
    const mine = sessions.create('d1', 'u1').session;
    const theirs = sessions.create('d2', 'u1').session;
    const [a, b, c] = [request(), request(), request()];
    sessions.track('d1', a);
    sessions.track('d1', b);
    sessions.track('d2', c);
    b.emit('close');
    sessions.dropDevice('d1');
    expect([a.destroyed, b.destroyed, c.destroyed]).toEqual([true, false, false]);
    expect(sessions.lookup(mine)).toBeUndefined();
    expect(sessions.lookup(theirs)).toBeDefined();
  });
});
