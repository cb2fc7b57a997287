import { describe, expect, it } from 'vitest';
import type { PairingState } from '../../shared/desktop';
import { failureLabel, keyMigrationText, pairingStatusText } from './pairingLabels';

const common = { wrongGuesses: 0, maxWrongGuesses: 500, failedAttempts: 0, recentFailures: [] };

describe('pairing labels', () => {
  it('names each kind of failed attempt for the owner', () => {
    expect(failureLabel({ kind: 'code', outcome: 'wrong' })).toBe('Wrong code');
    expect(failureLabel({ kind: 'joinToken', outcome: 'wrong' })).toBe('Invalid join link');
    expect(failureLabel({ kind: 'linkCode', outcome: 'closed' })).toBe('Link code while pairing was closed');
    expect(failureLabel({ kind: 'code', outcome: 'refused' })).toMatch(/^Code refused unseen/);
  });

  it('says how long pairing stays open, or why codes are refused', () => {
    const open: PairingState = { open: true, code: '123456', closesAt: 600_000, ...common };
    expect(pairingStatusText(open, 0)).toBe('Open for 10:00 more, then pairing closes by itself.');
    expect(pairingStatusText({ ...open, wrongGuesses: 500 }, 0)).toMatch(/^500 wrong codes were tried/);
    expect(pairingStatusText({ open: false, ...common }, 0)).toMatch(/^Codes are refused\. Join links/);
  });

  it('tells the owner what a device paired before device keys must do, and by when', () => {
    const until = Date.UTC(2027, 0, 6);
    expect(keyMigrationText(until, until - 1)).toBe(
      `Not migrated to device keys: it must connect with an updated Roost by ${new Date(until).toLocaleDateString()}.`,
    );
    expect(keyMigrationText(until, until)).toBe('Not migrated to device keys: it must be paired again.');
  });
});
