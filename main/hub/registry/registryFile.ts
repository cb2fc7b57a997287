import { readdir } from 'node:fs/promises';
import { runMigrations } from '../../../shared/util/migrations';
import { newId } from '../secrets';
import { REGISTRY_VERSIONS, RegistryVersionError } from './migrations';
import { DEFAULT_CONVERSATION_ID, REGISTRY_SCHEMA_VERSION, type RegistryFile } from './registrySchema';

/**
 * Reading registry.json at start: a new hub's first contents, and the refusals, each naming the
 * file and what to do, for one that cannot be used. Never replaced with a new identity: the
 * hub's id, devices and conversations are in no other file.
 */

export class RegistryFileError extends Error {
  readonly code = 'REGISTRY_INVALID';
}

export function freshRegistry(hubName: string, now: number): RegistryFile {
  return {
    schemaVersion: REGISTRY_SCHEMA_VERSION,
    hub: { id: newId(), name: hubName, createdAt: now, protocol2Since: now },
    users: [],
    devices: [],
    conversations: [
      {
        id: DEFAULT_CONVERSATION_ID,
        kind: 'default',
        name: 'General',
        memberUserIds: [],
        createdAt: now,
        createdBy: null,
      },
    ],
    receipts: [],
    blocks: [],
  };
}

/** What to do with a registry.json that cannot be used. */
export function startOver(dataDir: string): string {
  return (
    `Restore it from a backup: the hub's identity, its devices and conversations are in no other file. ` +
    `To start over as a new hub instead (every device pairs again, no history), move ${dataDir} away.`
  );
}

/** A missing registry.json next to a message log with conversations was lost: a new identity would orphan them. */
export async function refuseOverHistory(file: string, historyDir: string, dataDir: string): Promise<void> {
  const entries = await readdir(historyDir, { withFileTypes: true }).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  });
  const conversations = entries.filter((e) => e.isDirectory()).length;
  if (conversations === 0) return;
  throw new RegistryFileError(
    `${file} is missing, but ${historyDir} holds the messages of ${conversations} conversation(s). ` +
      startOver(dataDir),
  );
}

/** registry.json brought up to this hub's schemaVersion and validated, or an error saying what to do. */
export function readRegistryFile(file: string, raw: unknown, dataDir: string): RegistryFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RegistryFileError(
      `${file} holds ${JSON.stringify(raw)?.slice(0, 20)}, not a registry. ${startOver(dataDir)}`,
    );
  const loaded = runMigrations(raw, REGISTRY_VERSIONS);
  if (loaded.ok) return loaded.value;
  if (loaded.problem === 'newer') {
    throw new RegistryVersionError(
      `registry.json has schemaVersion ${loaded.version}, ` +
        `newer than this hub understands (${REGISTRY_SCHEMA_VERSION}). Upgrade Roost.`,
    );
  }
  if (loaded.problem === 'gap')
    throw new RegistryVersionError(`no migration from registry schemaVersion ${loaded.version}`);
  throw new RegistryFileError(`${file} does not match the registry schema (${loaded.reason}). ${startOver(dataDir)}`);
}
