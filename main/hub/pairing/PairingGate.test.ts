import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PairingState } from '../../../shared/hub/pairingState';
import { LINK_CODE_HANDLE_LENGTH, normalizeLinkCode, stripSeparators } from '../../../shared/protocol';
import { HubError } from '../HubError';
import { PairingGate, wrongLinkCode, wrongPairingCode, type CodeGuess, type PairingGateOptions } from './PairingGate';

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

/**
 * One attempt at the pairing code as the hub makes it (handlers/pake.ts): the gate hands out the secret that keys the
 * SPAKE2 exchange, and the exchange succeeds exactly when the device typed that secret. Throws as the hub answers.
 */
function guessCode(g: PairingGate, typed: string, address: string): void {
  settle(g.beginCodeGuess(address), stripSeparators(typed), wrongPairingCode);
}

/** The same with a link code, named by its handle as a device names it (shared/sync/deviceProofs.ts); its user. */
function guessLinkCode(g: PairingGate, typed: string, address: string): string {
  const code = normalizeLinkCode(typed);
  const guess = g.beginLinkCodeGuess(handleOf(code) || '-', address);
  settle(guess, code, wrongLinkCode);
  return guess.userId;
}

function settle(guess: CodeGuess, typed: string, wrong: () => HubError): void {
  if (typed === guess.secret) return guess.succeeded();
  guess.failed();
  throw wrong();
}

const handleOf = (code: string) => code.slice(0, LINK_CODE_HANDLE_LENGTH);

/** A well-formed link code whose handle none of `live` has, so it names no live code. */
const unknownLinkCode = (...live: string[]) =>
  ['ABCDEFGH', 'CDEFGHJK', 'EFGHJKMN', 'GHJKMNPQ'].find((c) => !live.some((l) => handleOf(l) === handleOf(c)))!;

/** Link codes draw from 30 characters (secrets.ts): this many handles exist. */
const HANDLES = 30 ** LINK_CODE_HANDLE_LENGTH;

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
    expect(outcome(() => guessCode(g, first.code, '10.0.0.1'))).toBe('ok');
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
    const closed = () => guessCode(g, shown, '10.0.0.1');
    expect(outcome(closed)).toBe('PAIRING_CLOSED');
    expect(message(closed)).toMatch(/ask the hub's owner to open pairing/i);
    expect(outcome(() => guessLinkCode(g, link.code, '10.0.0.1'))).toBe('PAIRING_CLOSED');
    const join = g.createJoinToken();
    expect(outcome(() => g.consumeJoinToken(join.token, '10.0.0.1'))).toBe('ok');
    // Refused unseen: neither secret was spent, and nothing counted as a guess.
    g.open();
    expect(guessLinkCode(g, link.code, '10.0.0.1')).toBe('user1');
    expect(g.state().wrongGuesses).toBe(0);
  });

  it('the window closes when its time is up, even read before its timer ran (the clock jumped)', () => {
    const { g, clock, states } = gate();
    const open = g.state();
    if (!open.open) throw new Error('not open');
    clock.t = open.closesAt;
    expect(g.state().open).toBe(false);
    expect(states.at(-1)).toMatchObject({ open: false });
    expect(outcome(() => guessCode(g, open.code, '10.0.0.1'))).toBe('PAIRING_CLOSED');
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

  it("refuses a used code, and a closed window's code, as a wrong guess", () => {
    // The hub only learns that an exchange failed, not why: "expired" and "wrong" are one answer now.
    const { g, code } = gate();
    const used = code();
    expect(outcome(() => guessCode(g, used, '10.0.0.1'))).toBe('ok');
    expect(outcome(() => guessCode(g, used, '10.0.0.2'))).toBe('PAIRING_CODE_INVALID');
    expect(outcome(() => guessCode(g, wrongFor(code()), '10.0.0.4'))).toBe('PAIRING_CODE_INVALID');
    expect(g.state().wrongGuesses).toBe(2);
    const old = code();
    g.close();
    g.open();
    expect(code()).not.toBe(old);
    expect(outcome(() => guessCode(g, old, '10.0.0.5'))).toBe('PAIRING_CODE_INVALID');
    expect(g.state().wrongGuesses).toBe(1);
  });

  it('locks one address out after five failures, doubling, without affecting others', () => {
    const { g, clock, code } = gate({ windowMs: 60 * 60_000 });
    for (let i = 0; i < 5; i++) expect(outcome(() => guessCode(g, 'x', 'eve'))).toBe('PAIRING_CODE_INVALID');
    expect(outcome(() => guessCode(g, code(), 'eve'))).toBe('PAIRING_LOCKED');
    expect(message(() => guessCode(g, code(), 'eve'))).toMatch(/Try again in 60 s/);
    expect(outcome(() => guessLinkCode(g, 'ABCDEFGH', 'eve'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => g.consumeJoinToken(g.createJoinToken().token, 'eve'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => guessCode(g, code(), 'ann'))).toBe('ok');
    clock.t += 60_000;
    expect(outcome(() => guessCode(g, 'y', 'eve'))).toBe('PAIRING_CODE_INVALID');
    clock.t += 60_000;
    expect(outcome(() => guessCode(g, 'y', 'eve'))).toBe('PAIRING_LOCKED');
  });

  it('forgets old failures after a quiet hour', () => {
    const { g, clock } = gate({ windowMs: 2 * 60 * 60_000, maxWindowMs: 2 * 60 * 60_000 });
    for (let i = 0; i < 4; i++) outcome(() => guessCode(g, 'x', 'ann'));
    clock.t += 61 * 60_000;
    expect(outcome(() => guessCode(g, 'x', 'ann'))).toBe('PAIRING_CODE_INVALID');
    expect(outcome(() => guessCode(g, g.currentCode()!.code, 'ann'))).toBe('ok');
  });

  it('wrong guesses from many addresses do not replace the code', () => {
    const { g, code } = gate();
    const shown = code();
    for (let i = 0; i < 100; i++) outcome(() => guessCode(g, wrongFor(shown), `10.1.${i >> 8}.${i & 255}`));
    expect(code()).toBe(shown);
    expect(outcome(() => guessCode(g, shown, '10.0.0.1'))).toBe('ok');
  });

  it('the hub-wide ceiling stops guessing within a window, with the time to wait, until a new window', () => {
    const { g, clock, code } = gate({ maxWrongGuessesPerWindow: 10 });
    const shown = code();
    const link = g.createLinkCode('user1', 'dev1');
    for (let i = 0; i < 9; i++) outcome(() => guessCode(g, wrongFor(shown), `10.1.0.${i}`));
    expect(outcome(() => guessLinkCode(g, unknownLinkCode(link.code), '10.1.0.9'))).toBe('LINK_CODE_INVALID');
    expect(g.state()).toMatchObject({ open: true, wrongGuesses: 10, maxWrongGuesses: 10 });
    // The person with the right code, from a fresh address, is refused unseen, and told how long.
    clock.t += 60_000;
    const refused = () => guessCode(g, shown, '10.2.0.1');
    expect(outcome(refused)).toBe('PAIRING_LIMIT_REACHED');
    expect(message(refused)).toMatch(/closes in 9 min/);
    expect(outcome(() => guessLinkCode(g, link.code, '10.2.0.1'))).toBe('PAIRING_LIMIT_REACHED');
    expect(g.state().wrongGuesses).toBe(10);
    // Opening again starts a new window: a new code, a fresh count. An unspent link code still works.
    g.open();
    expect(code()).not.toBe(shown);
    expect(g.state().wrongGuesses).toBe(0);
    expect(guessLinkCode(g, link.code, '10.2.0.1')).toBe('user1');
    expect(outcome(() => guessCode(g, code(), '10.2.0.1'))).toBe('ok');
  });

  it("one IPv6 device's wrong guesses do not lock out another in the same /64", () => {
    const { g, code } = gate();
    for (let i = 0; i < 5; i++) outcome(() => guessCode(g, 'x', '2001:db8:1:2::a'));
    expect(outcome(() => guessCode(g, code(), '2001:db8:1:2::a'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => guessCode(g, code(), '2001:db8:1:2::b'))).toBe('ok');
  });

  it('a host rotating through its /64 guesses no faster than the network budget', () => {
    const { g, clock, code } = gate({ networkGuessBurst: 20, networkGuessRefillMs: 10_000 });
    const results: string[] = [];
    for (let i = 0; i < 40; i++)
      results.push(outcome(() => guessCode(g, wrongFor(code()), `2001:db8:1:2::${(i + 1).toString(16)}`)));
    expect(results.filter((r) => r === 'PAIRING_CODE_INVALID')).toHaveLength(20);
    const refused = () => guessCode(g, code(), '2001:db8:1:2::ffff');
    expect(outcome(refused)).toBe('PAIRING_LOCKED');
    expect(message(refused)).toMatch(/from your network\. Try again in 10 s/);
    expect(outcome(() => guessCode(g, code(), '2001:db8:1:3::1'))).toBe('ok');
    clock.t += 10_000;
    expect(outcome(() => guessCode(g, code(), '2001:db8:1:2::ffff'))).toBe('ok');
  });

  it('a full table of guessers refuses new ones with the time to wait, keeps the locked, and takes join links', () => {
    const { g, clock, code } = gate({
      maxTrackedAddresses: 3,
      windowMs: 2 * 60 * 60_000,
      maxWindowMs: 2 * 60 * 60_000,
    });
    for (let i = 0; i < 5; i++) outcome(() => guessCode(g, 'x', '10.0.0.1'));
    outcome(() => guessCode(g, 'x', '10.0.0.2'));
    clock.t += 30_000;
    outcome(() => guessCode(g, 'x', '10.0.0.3'));
    const busy = () => guessCode(g, code(), '10.0.0.4');
    expect(outcome(busy)).toBe('PAIRING_BUSY');
    expect(message(busy)).toMatch(/Try again in 60 min/);
    expect(outcome(() => guessCode(g, code(), '10.0.0.1'))).toBe('PAIRING_LOCKED');
    expect(outcome(() => g.consumeJoinToken(g.createJoinToken().token, '10.0.0.4'))).toBe('ok');
    expect(outcome(() => g.consumeJoinToken('not-a-token', '10.0.0.5'))).toBe('JOIN_TOKEN_INVALID');
    // The oldest is forgotten after its quiet hour, making room.
    clock.t += 60 * 60_000 - 30_000;
    expect(outcome(() => guessCode(g, code(), '10.0.0.4'))).toBe('ok');
  });

  it('wrong join tokens from many addresses neither fill the table of guessers nor lock anyone out', () => {
    const { g, code } = gate({ maxTrackedAddresses: 3 });
    for (let i = 0; i < 20; i++) outcome(() => g.consumeJoinToken('not-a-token', `10.3.0.${i}`));
    expect(g.state().failedAttempts).toBe(20);
    expect(outcome(() => guessCode(g, code(), '10.3.0.0'))).toBe('ok');
    expect(outcome(() => guessCode(g, wrongFor(code()), '10.4.0.1'))).toBe('PAIRING_CODE_INVALID');
  });

  it('a device flooding createLinkCode holds at most 3 live codes, its newest', () => {
    const { g } = gate();
    const made = Array.from({ length: 1000 }, () => g.createLinkCode('user1', 'dev1'));
    const other = g.createLinkCode('user2', 'dev2');
    expect(g.linkCodeCount).toBe(4);
    // The oldest whose handle no live code has taken since (a replaced code's handle is free for any new code).
    const live = [...made.slice(997), other].map((m) => handleOf(m.code));
    const replaced = made.slice(0, 997).find((m) => !live.includes(handleOf(m.code)))!;
    expect(outcome(() => guessLinkCode(g, replaced.code, '10.0.0.1'))).toBe('LINK_CODE_INVALID');
    expect(guessLinkCode(g, made[999]!.code, '10.0.0.1')).toBe('user1');
    expect(guessLinkCode(g, made[997]!.code, '10.0.0.1')).toBe('user1');
    expect(guessLinkCode(g, other.code, '10.0.0.1')).toBe('user2');
  });

  it('makes join tokens and link codes single-use and expiring', () => {
    const { g, clock } = gate();
    const join = g.createJoinToken();
    expect(outcome(() => g.consumeJoinToken(join.token, 'a'))).toBe('ok');
    expect(outcome(() => g.consumeJoinToken(join.token, 'a'))).toBe('JOIN_TOKEN_INVALID');
    const link = g.createLinkCode('user1', 'dev1');
    expect(guessLinkCode(g, link.code.toLowerCase(), 'a')).toBe('user1');
    expect(outcome(() => guessLinkCode(g, link.code, 'a'))).toBe('LINK_CODE_INVALID');
    const late = g.createLinkCode('user1', 'dev1');
    clock.t = late.expiresAt;
    expect(outcome(() => guessLinkCode(g, late.code, 'b'))).toBe('LINK_CODE_INVALID');
    // A wrong guess at a live code spends it too: a code keys one exchange, right or wrong.
    const mistyped = g.createLinkCode('user1', 'dev1');
    const tail = mistyped.code.slice(LINK_CODE_HANDLE_LENGTH) === 'XXXXXX' ? 'YYYYYY' : 'XXXXXX';
    expect(outcome(() => guessLinkCode(g, handleOf(mistyped.code) + tail, 'd'))).toBe('LINK_CODE_INVALID');
    expect(outcome(() => guessLinkCode(g, mistyped.code, 'd'))).toBe('LINK_CODE_INVALID');
    const dropped = g.createLinkCode('user2', 'dev2');
    const kept = g.createLinkCode('user2', 'dev3');
    g.forgetLinkCodesOfDevice('dev2');
    expect(guessLinkCode(g, kept.code, 'c')).toBe('user2');
    expect(outcome(() => guessLinkCode(g, dropped.code, 'c'))).toBe('LINK_CODE_INVALID');
  });

  it('lists failed attempts for the owner, newest first, one line per address, kind and outcome', () => {
    const { g, clock, states } = gate({ recentFailures: 3 });
    for (let i = 0; i < 50; i++) outcome(() => guessCode(g, 'x', '::ffff:10.0.0.9'));
    clock.t += 1000;
    outcome(() => guessLinkCode(g, 'ABCDEFGH', '10.0.0.8'));
    g.close();
    clock.t += 1000;
    outcome(() => guessCode(g, '123456', '10.0.0.7'));
    const { recentFailures, failedAttempts } = g.state();
    expect(failedAttempts).toBe(52);
    expect(recentFailures).toEqual([
      { address: '10.0.0.7', kind: 'code', outcome: 'closed', count: 1, lastAt: 1_002_000 },
      { address: '10.0.0.8', kind: 'linkCode', outcome: 'wrong', count: 1, lastAt: 1_001_000 },
      { address: '10.0.0.9', kind: 'code', outcome: 'refused', count: 45, lastAt: 1_000_000 },
    ]);
    expect(states.at(-1)).toEqual(g.state());
  });
  describe('a guess judged after its exchange (SPAKE2)', () => {
    it('counts against the address and the window before it is judged; a success takes it back', () => {
      const { g, code, states } = gate();
      for (let i = 0; i < 4; i++) outcome(() => guessCode(g, wrongFor(code()), '10.0.0.6'));
      const pending = g.beginCodeGuess('10.0.0.6');
      // Counted at once, and the owner is told: the address is locked while its fifth guess is pending.
      expect(g.state().wrongGuesses).toBe(5);
      expect(states.at(-1)?.wrongGuesses).toBe(5);
      expect(outcome(() => g.beginCodeGuess('10.0.0.6'))).toBe('PAIRING_LOCKED');
      const failed = g.state().failedAttempts;
      pending.succeeded();
      expect(g.state()).toMatchObject({ wrongGuesses: 4, failedAttempts: failed });
      expect(states.at(-1)?.wrongGuesses).toBe(4);
      // The address starts afresh, as after any success: four more wrong guesses before it is locked again.
      for (let i = 0; i < 4; i++)
        expect(outcome(() => guessCode(g, wrongFor(code()), '10.0.0.6'))).toBe('PAIRING_CODE_INVALID');
      expect(outcome(() => guessCode(g, wrongFor(code()), '10.0.0.6'))).toBe('PAIRING_CODE_INVALID');
      expect(outcome(() => g.beginCodeGuess('10.0.0.6'))).toBe('PAIRING_LOCKED');
    });

    it("spends its network's budget before it is judged", () => {
      const { g } = gate({ networkGuessBurst: 1, networkGuessRefillMs: 10_000 });
      const pending = g.beginCodeGuess('2001:db8:1:2::a');
      expect(outcome(() => g.beginCodeGuess('2001:db8:1:2::b'))).toBe('PAIRING_LOCKED');
      expect(outcome(() => g.beginCodeGuess('2001:db8:1:3::a'))).toBe('ok');
      pending.succeeded();
    });

    it('a failed guess stays counted and is listed for the owner; it settles once', () => {
      const { g } = gate();
      const pending = g.beginCodeGuess('10.0.0.6');
      expect(g.state()).toMatchObject({ wrongGuesses: 1, failedAttempts: 0 });
      pending.failed();
      expect(g.state()).toMatchObject({
        wrongGuesses: 1,
        failedAttempts: 1,
        recentFailures: [{ address: '10.0.0.6', kind: 'code', outcome: 'wrong', count: 1 }],
      });
      const shown = g.currentCode()!.code;
      pending.succeeded();
      expect(g.state()).toMatchObject({ wrongGuesses: 1, failedAttempts: 1 });
      expect(g.currentCode()!.code).toBe(shown);
    });

    it('succeeded() after the code was used or replaced is PAIRING_CODE_INVALID, after a close PAIRING_CLOSED', () => {
      const { g, code } = gate();
      const first = g.beginCodeGuess('10.0.0.1');
      const second = g.beginCodeGuess('10.0.0.2');
      expect(second.secret).toBe(first.secret);
      first.succeeded();
      const next = code();
      expect(next).not.toBe(first.secret);
      expect(outcome(() => second.succeeded())).toBe('PAIRING_CODE_INVALID');
      expect(code()).toBe(next);

      const beforeReopen = g.beginCodeGuess('10.0.0.3');
      g.close();
      g.open();
      const reopened = code();
      expect(outcome(() => beforeReopen.succeeded())).toBe('PAIRING_CODE_INVALID');
      expect(code()).toBe(reopened);

      const beforeClose = g.beginCodeGuess('10.0.0.4');
      g.close();
      expect(outcome(() => beforeClose.succeeded())).toBe('PAIRING_CLOSED');
      expect(g.state().open).toBe(false);
      expect(g.state().recentFailures[0]).toMatchObject({ address: '10.0.0.4', outcome: 'closed' });
    });

    it('an unknown link-code handle is a wrong guess, counted against the address and the window', () => {
      const { g } = gate();
      for (let i = 0; i < 5; i++)
        expect(outcome(() => g.beginLinkCodeGuess('ZZ', '10.0.0.9'))).toBe('LINK_CODE_INVALID');
      expect(g.state()).toMatchObject({
        wrongGuesses: 5,
        failedAttempts: 5,
        recentFailures: [{ address: '10.0.0.9', kind: 'linkCode', outcome: 'wrong', count: 5 }],
      });
      expect(outcome(() => g.beginLinkCodeGuess('ZZ', '10.0.0.9'))).toBe('PAIRING_LOCKED');
    });

    it('gives every live link code its own handle, and copes when every handle is taken', () => {
      const { g } = gate();
      const made = Array.from({ length: HANDLES }, (_, i) => g.createLinkCode(`user${i}`, `dev${i}`));
      expect(new Set(made.map((m) => handleOf(m.code))).size).toBe(HANDLES);
      expect(g.linkCodeCount).toBe(HANDLES);
      // One more: the oldest code anywhere gives its handle up, the only one free.
      const extra = g.createLinkCode('userX', 'devX');
      expect(g.linkCodeCount).toBe(HANDLES);
      expect(handleOf(extra.code)).toBe(handleOf(made[0]!.code));
      expect(guessLinkCode(g, extra.code, '10.0.0.1')).toBe('userX');
      // Every other code still pairs, for its own user.
      // From addresses of their own: right guesses spend their network's budget too (see the test below).
      const users = made.slice(1).map((m, i) => guessLinkCode(g, m.code, `10.5.${i >> 8}.${i & 255}`));
      expect(users).toEqual(made.slice(1).map((_, i) => `user${i + 1}`));
      expect(g.linkCodeCount).toBe(0);
    });

    // A guess spends a token of its network's budget when it begins; a right one must give it back, else 20 right
    // codes from one address (one IPv4 network) within 200 s would lock it out.
    it('right codes spend none of the network budget for wrong guesses', () => {
      const { g, code } = gate({ networkGuessBurst: 20, networkGuessRefillMs: 10_000 });
      const results = Array.from({ length: 21 }, () => outcome(() => guessCode(g, code(), '10.0.0.1')));
      expect(results).toEqual(Array.from({ length: 21 }, () => 'ok'));
    });

    // When a device's code is the oldest in a full table, dropping it must leave the device's own list too, or
    // forgetting the device would delete whichever code took the freed handle since: another user's.
    it('a device whose code was dropped from a full table forgets only its own codes', () => {
      const { g } = gate();
      g.createLinkCode('userX', 'devX');
      for (let i = 1; i < HANDLES; i++) g.createLinkCode(`user${i}`, `dev${i}`);
      const replacing = g.createLinkCode('userX', 'devX');
      expect(guessLinkCode(g, replacing.code, '10.0.0.1')).toBe('userX');
      // The freed handle is the only one: this code takes it.
      const other = g.createLinkCode('userY', 'devY');
      g.forgetLinkCodesOfDevice('devX');
      expect(guessLinkCode(g, other.code, '10.0.0.2')).toBe('userY');
    });
  });
});
