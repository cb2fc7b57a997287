import type { Migration, VersionedSchema } from '../../../shared/util/migrations';
import { REGISTRY_SCHEMA_VERSION, RegistryFileSchema, type RegistryFile } from './registrySchema';

/**
 * Steps from each older schemaVersion to the next, run in order on load by
 * shared/util/migrations.ts: `steps[n]` upgrades version n to n + 1. Version 1
 * is the first, so there are none yet; the first real one is a one-line change.
 */
const STEPS: Record<number, Migration> = {};

export const REGISTRY_VERSIONS: VersionedSchema<RegistryFile> = {
  current: REGISTRY_SCHEMA_VERSION,
  steps: STEPS,
  schema: RegistryFileSchema,
};

export class RegistryVersionError extends Error {
  readonly code = 'REGISTRY_VERSION';
}
