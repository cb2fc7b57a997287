import { describe, expect, it } from 'vitest';
import { FromOldPageSchema, MIGRATION_TAG, oldOriginOf } from './migrationMessages';

describe('the messages of a move from http://', () => {
  it('accepts only the tagged shapes the old page sends', () => {
    for (const ok of [
      { tag: MIGRATION_TAG, kind: 'data', data: {} },
      { tag: MIGRATION_TAG, kind: 'empty' },
      { tag: MIGRATION_TAG, kind: 'unreadable' },
      { tag: MIGRATION_TAG, kind: 'done', cleared: true },
    ])
      expect(FromOldPageSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      { kind: 'empty' },
      { tag: 'roost-migrate-v2', kind: 'empty' },
      { tag: MIGRATION_TAG, kind: 'imported' },
      { tag: MIGRATION_TAG, kind: 'done' },
      'empty',
      null,
    ])
      expect(FromOldPageSchema.safeParse(bad).success).toBe(false);
  });

  it('talks only to the http origin of the same host and port', () => {
    expect(oldOriginOf({ protocol: 'https:', hostname: '192.168.1.20', port: '7420' })).toBe(
      'http://192.168.1.20:7420',
    );
    expect(oldOriginOf({ protocol: 'https:', hostname: '[fe80::1]', port: '7420' })).toBe('http://[fe80::1]:7420');
    expect(oldOriginOf({ protocol: 'https:', hostname: 'hub.home.example', port: '' })).toBe(
      'http://hub.home.example:443',
    );
    expect(oldOriginOf({ protocol: 'http:', hostname: '192.168.1.20', port: '7420' })).toBeUndefined();
  });
});
