import type { z } from 'zod';
import { describeSchemaError, type SchemaErrorWording } from './schemaError';

/** Turns data of one schemaVersion into data of the next; it gets and returns the raw object. */
export type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

/** One kind of persisted data (STYLE.md 8): the version this code writes, how older ones get there, and the shape. */
export type VersionedSchema<T> = {
  /** The schemaVersion this code writes and reads. */
  current: number;
  /** `steps[n]` upgrades version n to n + 1. */
  steps: Readonly<Partial<Record<number, Migration>>>;
  /** What the data must be once at the current version. */
  schema: z.ZodType<T>;
  /** How schema failures are worded (describeSchemaError). */
  wording?: SchemaErrorWording;
};

export type MigrationResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      /** `newer`: written by a newer version; `gap`: no step from `version`; `invalid`: not the schema. */
      problem: 'newer' | 'gap' | 'invalid';
      /** The schemaVersion the data carried, if it carried one. */
      version: number | undefined;
      reason: string;
    };

/**
 * Brings stored data up to the current version one step at a time, then
 * validates it. Data written by a newer version is refused, not guessed at.
 * Data without a schemaVersion was never written by any version (each of
 * these formats had one from the start), so it goes straight to the schema,
 * which says what is wrong with it. Throws only if a step does.
 */
export function runMigrations<T>(raw: unknown, versioned: VersionedSchema<T>): MigrationResult<T> {
  let data = raw;
  let version = versionOf(raw);
  if (version !== undefined && version > versioned.current) {
    const reason = `written by a newer version (schemaVersion ${version}; this one reads up to ${versioned.current})`;
    return { ok: false, problem: 'newer', version, reason };
  }
  while (version !== undefined && version < versioned.current) {
    const step = versioned.steps[version];
    if (!step) return { ok: false, problem: 'gap', version, reason: `no migration from schemaVersion ${version}` };
    data = { ...step(data as Record<string, unknown>), schemaVersion: version + 1 };
    version += 1;
  }
  const parsed = versioned.schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const reason = describeSchemaError(parsed.error, versioned.wording);
  return { ok: false, problem: 'invalid', version: versionOf(raw), reason };
}

function versionOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  return Number.isSafeInteger(version) && (version as number) >= 0 ? (version as number) : undefined;
}
