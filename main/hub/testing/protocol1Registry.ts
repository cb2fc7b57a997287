import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONVERSATION_ID } from '../registry/registrySchema';
import { hashToken, newId, newToken } from '../secrets';

/**
 * A registry.json as a protocol-1 hub left it (schemaVersion 2): one user with one device known by the hash of its
 * token. The hub migrates the file on start, and the device may bind a key within the migration window (6.7).
 */
export async function protocol1Registry(
  dataDir: string,
  now = Date.now(),
): Promise<{ userId: string; deviceId: string; token: string }> {
  const [userId, deviceId, token] = [newId(), newId(), newToken()];
  const registry = {
    schemaVersion: 2,
    hub: { id: newId(), name: 'Roost', createdAt: now },
    users: [{ id: userId, displayName: 'Old', createdAt: now }],
    devices: [
      {
        id: deviceId,
        userId,
        name: 'old laptop',
        platform: 'linux',
        tokenHash: hashToken(token),
        pairedAt: now,
        lastSeenAt: now,
      },
    ],
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
  await writeFile(path.join(dataDir, 'registry.json'), JSON.stringify(registry), { mode: 0o600 });
  return { userId, deviceId, token };
}
