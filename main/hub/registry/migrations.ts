import { REGISTRY_SCHEMA_VERSION } from './registrySchema';

/**
 * Migrations from each older schemaVersion to the next, run in order on load.
 * Index i upgrades version i to i + 1. Version 1 is the first, so there are
 * none yet; the machinery is here so the first real one is a one-line change.
 */
type Migration = (data: Record<string, unknown>) => Record<string, unknown>;
const MIGRATIONS: Record<number, Migration> = {};

export class RegistryVersionError extends Error {
  readonly code = 'REGISTRY_VERSION';
}

/** Brings a parsed registry.json up to the current version, or says why it cannot. */
export function migrateRegistry(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  let data = raw as Record<string, unknown>;
  let version = typeof data.schemaVersion === 'number' ? data.schemaVersion : 0;
  if (version > REGISTRY_SCHEMA_VERSION) {
    throw new RegistryVersionError(
      `registry.json has schemaVersion ${version}, newer than this hub understands (${REGISTRY_SCHEMA_VERSION}). ` +
        `Upgrade Roost.`,
    );
  }
  while (version < REGISTRY_SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new RegistryVersionError(`no migration from registry schemaVersion ${version}`);
    data = { ...step(data), schemaVersion: version + 1 };
    version += 1;
  }
  return data;
}
