import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PairingState } from '../../../shared/hub/pairingState';
import { HubError } from '../HubError';
import { PairingGate, type PairingGateOptions } from './PairingGate';

let gates: PairingGate[] = [];
afterEach(() => {
  for (const g of gates) g.stop();
  gates = [];
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function newGate(options: PairingGateOptions): PairingGate {
  const g = new PairingGate(options);
  gates.push(g);
  return g;
}

/** A gate on an injected clock, pairing open. */
function gate(options: PairingGateOptions = {}) {
  const clock = { t: 1_000_000 };
  const states: PairingState[] = [];
  const g = newGate({ now: () => clock.t, ...options });
  g.onChange((s) => states.push(s));
  g.open();
  return { g, clock, states, code: () => g.currentCode()!.code };
}

const outcome = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof HubError) return err.code;
    throw err;
  }
};
const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('did not throw');
};

/** A 6-digit code that is not `code`. */
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('PairingGate', () => {
  it('accepts no code before pairing is opened, then a 6-digit code that each use replaces', () => {
    const clock = { t: 1_000_000 };
    const g = newGate({ now: () => clock.t });
    expect(g.state()).toMatchObject({ open: false });
    expect(g.currentCode()).toBeUndefined();
    g.open();
    const first = g.currentCode()!;
    expect(first.code).toMatch(/^\d{6}$/);
    expect(first.expiresAt).toBe(clock.t + 10 * 60_000);
    expect(outcome(() => g.consumeCode(first.code, '10.0.0.1'))).toBe('ok');
    const second = g.currentCode()!;
    expect(second.code).not.toBe(first.code);
    expect(second.expiresAt).toBe(first.expiresAt);
  });

  it('a code is refused while pairing is closed; a join link still pairs', () => {
    const { g, code } = gate();
    const shown = code();
    const link = g.createLinkCode('user1', 'dev1');
    g.close();
    expect(g.state().open).toBe(false);
    const closed = () => g.consumeCode(shown, '10.0.0.1');
    expect(outcome(closed)).toBe('PAIRING_CLOSED');
    expect(message(closed)).toMatch(/ask the hub's owner to open pairing/i);
    expect(outcome(() => g.consumeLinkCode(link.code, '10.0.0.1'))).toBe('PAIRING_CLOSED');
    const join = g.createJoinToken();
    expect(outcome(() => g.consumeJoinToken(join.token, '10.0.0.1'))).toBe('ok');
    // Refused unseen: neither secret was spent, and nothing counted as a guess.
    g.open();
    expect(g.consumeLinkCode(link.code, '10.0.0.1')).toBe('user1');
    expect(g.state().wrongGuesses).toBe(0);
  });

  it('the window closes when its time is up, even read before its timer ran (the clock jumped)', () => {
    const { g, clock, states } = gate();
    const open = g.state();
    if (!open.open) throw new Error('not open');
    clock.t = open.closesAt;
    expect(g.state().open).toBe(false);
    expect(states.at(-1)).toMatchObject({ open: false });
    expect(outcome(() => g.consumeCode(open.code, '10.0.0.1'))).toBe('PAIRING_CLOSED');
  });

  describe('its own timer', () => {
    function timedGate(options: PairingGateOptions = {}) {
      vi.useFakeTimers({ now: 1_000_000 });
      const timeouts = vi.spyOn(globalThis, 'setTimeout');
      const g = newGate({ now: () => Date.now(), windowMs: 60_000, ...options });
      const heard: PairingState[] = [];
      g.onChange((s) => heard.push(s));
      return { g, heard, timeouts };
    }

    it('closes the window by itself, telling each listener once', () => {
      const { g, heard } = timedGate();
      const gone: PairingState[] = [];
      g.onChange((s) => gone.push(s))();
      g.open();
      expect(heard).toHaveLength(1);
      vi.advanceTimersByTime(59_999);
      expect(heard).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(heard.map((s) => s.open)).toEqual([true, false]);
      expect(gone).toEqual([]);
    });

    it("keeps no process alive: its timer is unref'd, and stop clears it", () => {
      const { g, heard, timeouts } = timedGate();
      g.open();
      const timer = timeouts.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      expect(vi.getTimerCount()).toBe(1);
      g.stop();
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(10 * 60_000);
      expect(heard.map((s) => s.open)).toEqual([true]);
    });

    it('opening again extends the window and keeps its code; a window lasts at most maxWindowMs', () => {
      const { g, heard } = timedGate({ maxWindowMs: 120_000 });
      g.open();
      const code = g.currentCode()!.code;
      vi.advanceTimersByTime(50_000);
      g.open(10 * 60_000);
      expect(g.currentCode()).toEqual({ code, expiresAt: Date.now() + 120_000 });
      vi.advanceTimersByTime(119_999);
      expect(g.state().open).toBe(true);
      vi.advanceTimersByTime(1);
      expect(heard.at(-1)?.open).toBe(false);
      expect(() => g.open(0)).toThrow(RangeError);
    });
  });

  it('tells an expired or used code from a wrong one', () => {
    const { g, code } = gate();
    const used = code();
    g.consumeCode(used, '10.0.0.1');
    expect(outcome(() => g.consumeCode(used, '10.0.0.2'))).toBe('PAIRING_CODE_EXPIRED');
    const spaced = code();
    expect(outcome(() => g.consumeCode(`${spaced.slice(0, 3)} ${spaced.slice(3)}`, '10.0.0.3'))).toBe('ok');
    expect(outcome(() => g.consumeCode(wrongFor(code()), '10.0.0.4'))).toBe('PAIRING_CODE_INVALID');
    // A closed window's code is expired too, once a new window is open.
    const old = code();
    g.close();
    g.open();
    expect(outcome(() => g.consumeCode(old, '10.0.0.5'))).toBe('PAIRING_CODE_EXPIRED');
  });

  it('locks one address out after five failures, doubling, without affecting others', () => {
    const { g, clock, code } = gate({ windowMs: 60 * 60_000 });
    for (let i = 0; i < 5; i++) expect(outcome(() => g.consumeCode('x', 'eve'))).toBe('PAIRING_CODE_INVALID');
    expect(outcome(() => g.consumeCode(code(), 'eve'))).toBe('PAIRING_LOCKED');
    expect(message(() => g.consumeCode(code(), 'eve'))).toMatch(/Try again in 60 s/);
    expect(outcome(() => g.consumeLinkCode('ABCDEFGH', 'eve'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => g.consumeJoinToken(g.createJoinToken().token, 'eve'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => g.consumeCode(code(), 'ann'))).toBe('ok');
    clock.t += 60_000;
    expect(outcome(() => g.consumeCode('y', 'eve'))).toBe('PAIRING_CODE_INVALID');
    clock.t += 60_000;
    expect(outcome(() => g.consumeCode('y', 'eve'))).toBe('PAIRING_LOCKED');
  });

  it('forgets old failures after a quiet hour', () => {
    const { g, clock } = gate({ windowMs: 2 * 60 * 60_000, maxWindowMs: 2 * 60 * 60_000 });
    for (let i = 0; i < 4; i++) outcome(() => g.consumeCode('x', 'ann'));
    clock.t += 61 * 60_000;
    expect(outcome(() => g.consumeCode('x', 'ann'))).toBe('PAIRING_CODE_INVALID');
    expect(outcome(() => g.consumeCode(g.currentCode()!.code, 'ann'))).toBe('ok');
  });

  it('wrong guesses from many addresses do not replace the code', () => {
    const { g, code } = gate();
    const shown = code();
    for (let i = 0; i < 100; i++) outcome(() => g.consumeCode(wrongFor(shown), `10.1.${i >> 8}.${i & 255}`));
    expect(code()).toBe(shown);
    expect(outcome(() => g.consumeCode(shown, '10.0.0.1'))).toBe('ok');
  });

  it('the hub-wide ceiling stops guessing within a window, with the time to wait, until a new window', () => {
    const { g, clock, code } = gate({ maxWrongGuessesPerWindow: 10 });
    const shown = code();
    const link = g.createLinkCode('user1', 'dev1');
    for (let i = 0; i < 9; i++) outcome(() => g.consumeCode(wrongFor(shown), `10.1.0.${i}`));
    expect(outcome(() => g.consumeLinkCode('ABCDEFGH', '10.1.0.9'))).toBe('LINK_CODE_INVALID');
    expect(g.state()).toMatchObject({ open: true, wrongGuesses: 10, maxWrongGuesses: 10 });
    // The person with the right code, from a fresh address, is refused unseen, and told how long.
    clock.t += 60_000;
    const refused = () => g.consumeCode(shown, '10.2.0.1');
    expect(outcome(refused)).toBe('PAIRING_LIMIT_REACHED');
    expect(message(refused)).toMatch(/closes in 9 min/);
    expect(outcome(() => g.consumeLinkCode(link.code, '10.2.0.1'))).toBe('PAIRING_LIMIT_REACHED');
    expect(g.state().wrongGuesses).toBe(10);
    // Opening again starts a new window: a new code, a fresh count. An unspent link code still works.
    g.open();
    expect(code()).not.toBe(shown);
    expect(g.state().wrongGuesses).toBe(0);
    expect(g.consumeLinkCode(link.code, '10.2.0.1')).toBe('user1');
    expect(outcome(() => g.consumeCode(code(), '10.2.0.1'))).toBe('ok');
  });

  it("one IPv6 device's wrong guesses do not lock out another in the same /64", () => {
    const { g, code } = gate();
    for (let i = 0; i < 5; i++) outcome(() => g.consumeCode('x', '2001:db8:1:2::a'));
    expect(outcome(() => g.consumeCode(code(), '2001:db8:1:2::a'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => g.consumeCode(code(), '2001:db8:1:2::b'))).toBe('ok');
  });

  it('a host rotating through its /64 guesses no faster than the network budget', () => {
    const { g, clock, code } = gate({ networkGuessBurst: 20, networkGuessRefillMs: 10_000 });
    const results: string[] = [];
    for (let i = 0; i < 40; i++)
      results.push(outcome(() => g.consumeCode(wrongFor(code()), `2001:db8:1:2::${(i + 1).toString(16)}`)));
    expect(results.filter((r) => r === 'PAIRING_CODE_INVALID')).toHaveLength(20);
    const refused = () => g.consumeCode(code(), '2001:db8:1:2::ffff');
    expect(outcome(refused)).toBe('PAIRING_LOCKED');
    expect(message(refused)).toMatch(/from your network\. Try again in 10 s/);
    expect(outcome(() => g.consumeCode(code(), '2001:db8:1:3::1'))).toBe('ok');
    clock.t += 10_000;
    expect(outcome(() => g.consumeCode(code(), '2001:db8:1:2::ffff'))).toBe('ok');
  });

  it('a full table of guessers refuses new ones with the time to wait, keeps the locked, and takes join links', () => {
    const { g, clock, code } = gate({
      maxTrackedAddresses: 3,
      windowMs: 2 * 60 * 60_000,
      maxWindowMs: 2 * 60 * 60_000,
    });
    for (let i = 0; i < 5; i++) outcome(() => g.consumeCode('x', '10.0.0.1'));
    outcome(() => g.consumeCode('x', '10.0.0.2'));
    clock.t += 30_000;
    outcome(() => g.consumeCode('x', '10.0.0.3'));
    const busy = () => g.consumeCode(code(), '10.0.0.4');
    expect(outcome(busy)).toBe('PAIRING_BUSY');
    expect(message(busy)).toMatch(/Try again in 60 min/);
    expect(outcome(() => g.consumeCode(code(), '10.0.0.1'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => g.consumeJoinToken(g.createJoinToken().token, '10.0.0.4'))).toBe('ok');
    expect(outcome(() => g.consumeJoinToken('not-a-token', '10.0.0.5'))).toBe('JOIN_TOKEN_INVALID');
    // The oldest is forgotten after its quiet hour, making room.
    clock.t += 60 * 60_000 - 30_000;
    expect(outcome(() => g.consumeCode(code(), '10.0.0.4'))).toBe('ok');
  });

  it('wrong join tokens from many addresses neither fill the table of guessers nor lock anyone out', () => {
    const { g, code } = gate({ maxTrackedAddresses: 3 });
    for (let i = 0; i < 20; i++) outcome(() => g.consumeJoinToken('not-a-token', `10.3.0.${i}`));
    expect(g.state().failedAttempts).toBe(20);
    expect(outcome(() => g.consumeCode(code(), '10.3.0.0'))).toBe('ok');
    expect(outcome(() => g.consumeCode(wrongFor(code()), '10.4.0.1'))).toBe('PAIRING_CODE_INVALID');
  });

  it('a device flooding createLinkCode holds at most 3 live codes, its newest', () => {
    const { g } = gate();
    const made = Array.from({ length: 1000 }, () => g.createLinkCode('user1', 'dev1'));
    const other = g.createLinkCode('user2', 'dev2');
    expect(g.linkCodeCount).toBe(4);
    expect(outcome(() => g.consumeLinkCode(made[0]!.code, '10.0.0.1'))).toBe('LINK_CODE_INVALID');
    expect(g.consumeLinkCode(made[999]!.code, '10.0.0.1')).toBe('user1');
    expect(g.consumeLinkCode(made[997]!.code, '10.0.0.1')).toBe('user1');
    expect(g.consumeLinkCode(other.code, '10.0.0.1')).toBe('user2');
  });

  it('makes join tokens and link codes single-use and expiring', () => {
    const { g, clock } = gate();
    const join = g.createJoinToken();
    expect(outcome(() => g.consumeJoinToken(join.token, 'a'))).toBe('ok');
    expect(outcome(() => g.consumeJoinToken(join.token, 'a'))).toBe('JOIN_TOKEN_INVALID');
    const link = g.createLinkCode('user1', 'dev1');
    expect(g.consumeLinkCode(link.code.toLowerCase(), 'a')).toBe('user1');
    expect(outcome(() => g.consumeLinkCode(link.code, 'a'))).toBe('LINK_CODE_INVALID');
    const late = g.createLinkCode('user1', 'dev1');
    clock.t = late.expiresAt;
    expect(outcome(() => g.consumeLinkCode(late.code, 'b'))).toBe('LINK_CODE_INVALID');
    const dropped = g.createLinkCode('user2', 'dev2');
    const kept = g.createLinkCode('user2', 'dev3');
    g.forgetLinkCodesOfDevice('dev2');
    expect(g.consumeLinkCode(kept.code, 'c')).toBe('user2');
    expect(outcome(() => g.consumeLinkCode(dropped.code, 'c'))).toBe('LINK_CODE_INVALID');
  });

  it('lists failed attempts for the owner, newest first, one line per address, kind and outcome', () => {
    const { g, clock, states } = gate({ recentFailures: 3 });
    for (let i = 0; i < 50; i++) outcome(() => g.consumeCode('x', '::ffff:10.0.0.9'));
    clock.t += 1000;
    outcome(() => g.consumeLinkCode('ABCDEFGH', '10.0.0.8'));
    g.close();
    clock.t += 1000;
    outcome(() => g.consumeCode('123456', '10.0.0.7'));
    const { recentFailures, failedAttempts } = g.state();
    expect(failedAttempts).toBe(52);
    expect(recentFailures).toEqual([
      { address: '10.0.0.7', kind: 'code', outcome: 'closed', count: 1, lastAt: 1_002_000 },
      { address: '10.0.0.8', kind: 'linkCode', outcome: 'wrong', count: 1, lastAt: 1_001_000 },
      { address: '10.0.0.9', kind: 'code', outcome: 'refused', count: 45, lastAt: 1_000_000 },
    ]);
    expect(states.at(-1)).toEqual(g.state());
  });
});
