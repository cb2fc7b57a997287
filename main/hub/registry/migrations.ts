import type { Migration, VersionedSchema } from '../../../shared/util/migrations';
import { REGISTRY_SCHEMA_VERSION, RegistryFileSchema, type RegistryFile } from './registrySchema';

/**
 * Steps from each older schemaVersion to the next, run in order on load by
 * shared/util/migrations.ts: `steps[n]` upgrades version n to n + 1.
 */
const STEPS: Record<number, Migration> = {
  // Version 2 added blocks (PROTOCOL.md 11.7) and removed users (`removedAt`); a hub before it had neither.
  1: (data) => ({ ...data, blocks: [] }),
  // Version 3 (protocol 2) added device keys: every device then still has its token hash and binds a key later.
  // hub.protocol2Since is set by the registry when it opens the file, with its clock.
  2: (data) => data,
};

export const REGISTRY_VERSIONS: VersionedSchema<RegistryFile> = {
  current: REGISTRY_SCHEMA_VERSION,
  steps: STEPS,
  schema: RegistryFileSchema,
};

export class RegistryVersionError extends Error {
  readonly code = 'REGISTRY_VERSION';
}
