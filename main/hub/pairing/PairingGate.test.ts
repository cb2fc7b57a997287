import { describe, expect, it } from 'vitest';
import { PairingGate } from './PairingGate';

function gate() {
  const clock = { t: 1_000_000 };
  const changes: string[] = [];
  const g = new PairingGate({ now: () => clock.t, onCodeChange: (c) => changes.push(c.code) });
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
    clock.t = second.expiresAt;
    expect(g.currentCode().code).not.toBe(second.code);
    expect(changes).toHaveLength(3);
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
