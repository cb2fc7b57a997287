import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runMigrations, type VersionedSchema } from './migrations';

const V3 = z.object({ schemaVersion: z.literal(3), fullName: z.string(), tags: z.array(z.string()) });

const versioned: VersionedSchema<z.infer<typeof V3>> = {
  current: 3,
  steps: {
    1: ({ name, ...rest }) => ({ ...rest, fullName: name }),
    2: (data) => ({ ...data, tags: [] }),
  },
  schema: V3,
};

describe('runMigrations', () => {
  it('runs every step from the stored version, in order, then validates', () => {
    expect(runMigrations({ schemaVersion: 1, name: 'Ann' }, versioned)).toEqual({
      ok: true,
      value: { schemaVersion: 3, fullName: 'Ann', tags: [] },
    });
    expect(runMigrations({ schemaVersion: 2, fullName: 'Bo' }, versioned)).toEqual({
      ok: true,
      value: { schemaVersion: 3, fullName: 'Bo', tags: [] },
    });
  });

  it('leaves data of the current version to the schema alone', () => {
    const current = { schemaVersion: 3, fullName: 'Cy', tags: ['a'] };
    expect(runMigrations(current, versioned)).toEqual({ ok: true, value: current });
  });

  it('refuses data written by a newer version instead of guessing at it', () => {
    expect(runMigrations({ schemaVersion: 4, fullName: 'Di', tags: [] }, versioned)).toEqual({
      ok: false,
      problem: 'newer',
      version: 4,
      reason: 'written by a newer version (schemaVersion 4; this one reads up to 3)',
    });
  });

  it('refuses a version it has no step from', () => {
    expect(runMigrations({ schemaVersion: 0 }, versioned)).toEqual({
      ok: false,
      problem: 'gap',
      version: 0,
      reason: 'no migration from schemaVersion 0',
    });
  });

  it('says what is wrong with data that does not match at the end, worded as the caller asks', () => {
    const result = runMigrations({ schemaVersion: 2, fullName: 7 }, { ...versioned, wording: { root: 'the file' } });
    expect(result).toMatchObject({ ok: false, problem: 'invalid', version: 2 });
    expect(!result.ok && result.reason).toMatch(/^fullName: /);
  });

  it('hands data without a schemaVersion straight to the schema, which names the missing field', () => {
    for (const raw of [null, [], 'text', { theme: 'dark' }, { schemaVersion: '3' }, { schemaVersion: 1.5 }]) {
      const result = runMigrations(raw, versioned);
      expect(result).toMatchObject({ ok: false, problem: 'invalid', version: undefined });
    }
    expect(runMigrations({ theme: 'dark' }, versioned)).toMatchObject({
      reason: expect.stringMatching(/^schemaVersion: /),
    });
  });
});
