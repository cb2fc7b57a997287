import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freshRegistry } from '../registry/registryFile';
import { hashToken, newId, newToken } from '../secrets';

/**
 * A registry.json as a protocol-1 hub left it (schemaVersion 2, no protocol2Since): one user with one device known
 * by the hash of its token. The hub migrates the file on start, and the device may bind a key within the migration
 * window (6.7).
 */
export async function protocol1Registry(
  dataDir: string,
  now = Date.now(),
): Promise<{ userId: string; deviceId: string; token: string }> {
  const [userId, deviceId, token] = [newId(), newId(), newToken()];
  const fresh = freshRegistry('Roost', now);
  const { protocol2Since: _unknownToProtocol1, ...hub } = fresh.hub;
  const device = { id: deviceId, userId, name: 'old laptop', platform: 'linux', tokenHash: hashToken(token) };
  const registry = {
    ...fresh,
    schemaVersion: 2,
    hub,
    users: [{ id: userId, displayName: 'Old', createdAt: now }],
    devices: [{ ...device, pairedAt: now, lastSeenAt: now }],
  };
  await writeFile(path.join(dataDir, 'registry.json'), JSON.stringify(registry), { mode: 0o600 });
  return { userId, deviceId, token };
}
