import { describe, expect, it } from 'vitest';
import { auditSentence } from './auditLabels';
import { bridgeErrorText } from './bridgeErrorText';

describe('audit entries in words', () => {
  it('says who did what to what, and how a refusal ended', () => {
    const base = { at: 0, target: '"Eve" (e1)' } as const;
    expect(auditSentence({ ...base, actor: 'cli', action: 'removeUser', result: 'ok' })).toBe(
      'Owner via CLI removed user "Eve" (e1)',
    );
    expect(
      auditSentence({ ...base, actor: 'desktop', action: 'removeUser', result: 'STORAGE_FAILED', detail: 'disk full' }),
    ).toBe('Owner via desktop removed user "Eve" (e1): refused, STORAGE_FAILED (disk full)');
    expect(
      auditSentence({
        at: 0,
        actor: 'network',
        action: 'failedPairing',
        target: '10.0.0.7',
        result: 'wrong',
        detail: '3 pairing code attempts, wrong',
      }),
    ).toBe('A device on the network failed to pair from 10.0.0.7: 3 pairing code attempts, wrong');
  });
});

describe('bridgeErrorText', () => {
  it("drops Electron's prefix and the stable code, keeping the reason", () => {
    const err = new Error(
      'Error invoking remote method \'roost:removeUser\': Error: NOT_FOUND: No user "x" on this hub.',
    );
    expect(bridgeErrorText(err)).toBe('No user "x" on this hub.');
    expect(bridgeErrorText(new Error('NOT_HOSTING: this computer does not host a hub now'))).toBe(
      'this computer does not host a hub now',
    );
  });
});
