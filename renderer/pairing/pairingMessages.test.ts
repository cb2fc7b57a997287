import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { ClientErrorCode, RoostError } from '../../shared/sync';
import { nameProblem, pairingErrorMessage, unpairedNotice } from './pairingMessages';

describe('pairing messages', () => {
  it('shows the hub’s message for a wrong or locked code', () => {
    const wrong = new RoostError(
      ErrorCode.PAIRING_CODE_INVALID,
      'Wrong pairing code. Check the 6-digit code shown by the hub.',
      'pair',
    );
    expect(pairingErrorMessage(wrong)).toBe('Wrong pairing code. Check the 6-digit code shown by the hub.');
    const locked = new RoostError(ErrorCode.PAIRING_LOCKED, 'Too many wrong codes. Try again in 60 s.', 'pair');
    expect(pairingErrorMessage(locked)).toMatch(/60 s/);
  });

  it('explains a missing connection in words a person can act on', () => {
    expect(pairingErrorMessage(new RoostError(ClientErrorCode.NOT_CONNECTED, 'Cannot send "pair"'))).toMatch(
      /Can’t reach the hub/,
    );
  });

  it('says why a device is back at pairing', () => {
    expect(unpairedNotice('revoked')).toMatch(/^This device was removed/);
    expect(unpairedNotice('notPaired')).toBeUndefined();
  });

  it('checks names like the hub does', () => {
    expect(nameProblem('your name', '   ')).toBe('Enter your name.');
    expect(nameProblem('your name', 'x'.repeat(65))).toMatch(/^Your name can be at most 64/);
    expect(nameProblem('your name', '  Ann  ')).toBeUndefined();
  });
});
