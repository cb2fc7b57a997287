import { afterEach, describe, expect, it, vi } from 'vitest';
import { PairingGate, type PairingCode, type PairingGateOptions } from './PairingGate';

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

function gate() {
  const clock = { t: 1_000_000 };
  const changes: string[] = [];
  const g = newGate({ now: () => clock.t });
  g.onCodeChange((c) => changes.push(c.code));
  return { g, clock, changes };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('PairingGate', () => {
  it('issues a 6-digit code, replaces it after use and after expiry, and reports each change', () => {
    const { g, clock, changes } = gate();
    const first = g.currentCode();
    expect(first.code).toMatch(/^\d{6}$/);
    expect(g.currentCode()).toEqual(first);
    expect(codeOf(() => g.consumeCode(first.code, 'a'))).toBe('ok');
    const second = g.currentCode();
    expect(second.code).not.toBe(first.code);
    // Read after expiry before its timer ran (the clock jumped): replaced then and there.
    clock.t = second.expiresAt;
    const third = g.currentCode();
    expect(third.code).not.toBe(second.code);
    expect(changes).toEqual([second.code, third.code]);
  });

  describe('its own expiry timer', () => {
    const TTL = 60_000;
    function timedGate() {
      vi.useFakeTimers({ now: 1_000_000 });
      const timeouts = vi.spyOn(globalThis, 'setTimeout');
      const g = newGate({ now: () => Date.now(), codeTtlMs: TTL });
      const heard: PairingCode[] = [];
      g.onCodeChange((code) => heard.push(code));
      return { g, heard, timeouts };
    }

    it('replaces the code when it expires with no one asking, telling each listener once', () => {
      const { g, heard } = timedGate();
      const first = g.currentCode();
      const gone: PairingCode[] = [];
      const unsubscribe = g.onCodeChange((code) => gone.push(code));
      unsubscribe();
      vi.advanceTimersByTime(TTL - 1);
      expect(heard).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(heard).toHaveLength(1);
      expect(heard[0]!.code).not.toBe(first.code);
      expect(heard[0]).toEqual({ code: heard[0]!.code, expiresAt: first.expiresAt + TTL });
      vi.advanceTimersByTime(TTL);
      expect(heard).toHaveLength(2);
      expect(g.currentCode()).toEqual(heard[1]);
      expect(gone).toEqual([]);
    });

    it('counts a code replaced early (used) from its own start, not the old one', () => {
      const { g, heard } = timedGate();
      vi.advanceTimersByTime(TTL / 2);
      g.consumeCode(g.currentCode().code, 'a');
      expect(heard).toHaveLength(1);
      vi.advanceTimersByTime(TTL / 2);
      expect(heard).toHaveLength(1);
      vi.advanceTimersByTime(TTL / 2);
      expect(heard).toHaveLength(2);
    });

    it("keeps no process alive: its timer is unref'd, and stop clears it", () => {
      const { g, heard, timeouts } = timedGate();
      const timer = timeouts.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      expect(vi.getTimerCount()).toBe(1);
      g.stop();
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(TTL * 3);
      expect(heard).toEqual([]);
    });
  });

  it('tells an expired or used code from a wrong one', () => {
    const { g } = gate();
    const used = g.currentCode().code;
    g.consumeCode(used, 'a');
    expect(codeOf(() => g.consumeCode(used, 'b'))).toBe('PAIRING_CODE_EXPIRED');
    const spaced = g.currentCode().code;
    expect(codeOf(() => g.consumeCode(`${spaced.slice(0, 3)} ${spaced.slice(3)}`, 'd'))).toBe('ok');
    const wrong = g.currentCode().code === '999999' ? '999998' : '999999';
    expect(codeOf(() => g.consumeCode(wrong, 'c'))).toBe('PAIRING_CODE_INVALID');
  });

  it('locks one address out after five failures, doubling, without affecting others', () => {
    const { g, clock } = gate();
    for (let i = 0; i < 5; i++) expect(codeOf(() => g.consumeCode('x', 'eve'))).toBe('PAIRING_CODE_INVALID');
    expect(codeOf(() => g.consumeCode(g.currentCode().code, 'eve'))).toBe('PAIRING_LOCKED');
    expect(codeOf(() => g.consumeLinkCode('ABCDEFGH', 'eve'))).toBe('PAIRING_LOCKED');
    expect(codeOf(() => g.consumeCode(g.currentCode().code, 'ann'))).toBe('ok');
    clock.t += 60_000;
    expect(codeOf(() => g.consumeCode('y', 'eve'))).toBe('PAIRING_CODE_INVALID');
    clock.t += 60_000;
    expect(codeOf(() => g.consumeCode('y', 'eve'))).toBe('PAIRING_LOCKED');
  });

  it('forgets old failures after a quiet hour', () => {
    const { g, clock } = gate();
    for (let i = 0; i < 4; i++) codeOf(() => g.consumeCode('x', 'ann'));
    clock.t += 61 * 60_000;
    expect(codeOf(() => g.consumeCode('x', 'ann'))).toBe('PAIRING_CODE_INVALID');
    expect(codeOf(() => g.consumeCode(g.currentCode().code, 'ann'))).toBe('ok');
  });

  it('replaces the code after many wrong guesses from anywhere', () => {
    const { g } = gate();
    const code = g.currentCode().code;
    for (let i = 0; i < 20; i++) codeOf(() => g.consumeCode('nope', `addr${i}`));
    expect(g.currentCode().code).not.toBe(code);
  });

  it('makes join tokens and link codes single-use and expiring', () => {
    const { g, clock } = gate();
    const join = g.createJoinToken();
    expect(codeOf(() => g.consumeJoinToken(join.token, 'a'))).toBe('ok');
    expect(codeOf(() => g.consumeJoinToken(join.token, 'a'))).toBe('JOIN_TOKEN_INVALID');
    const link = g.createLinkCode('user1', 'dev1');
    expect(g.consumeLinkCode(link.code.toLowerCase(), 'a')).toBe('user1');
    expect(codeOf(() => g.consumeLinkCode(link.code, 'a'))).toBe('LINK_CODE_INVALID');
    const late = g.createLinkCode('user1', 'dev1');
    clock.t = late.expiresAt;
    expect(codeOf(() => g.consumeLinkCode(late.code, 'b'))).toBe('LINK_CODE_INVALID');
    const dropped = g.createLinkCode('user2', 'dev2');
    const kept = g.createLinkCode('user2', 'dev3');
    g.forgetLinkCodesOfDevice('dev2');
    expect(g.consumeLinkCode(kept.code, 'c')).toBe('user2');
    expect(codeOf(() => g.consumeLinkCode(dropped.code, 'c'))).toBe('LINK_CODE_INVALID');
  });
});
