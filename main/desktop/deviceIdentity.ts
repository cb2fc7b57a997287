import type { DeviceIdentity } from '../../shared/desktop';
import type { Platform } from '../../shared/protocol';

const PLATFORMS: Record<string, Platform> = { darwin: 'macos', win32: 'windows', linux: 'linux' };
const MAX_NAME = 64;

/**
 * How this computer introduces itself when it pairs: its host name, made
 * readable (`anns-macbook-pro.local` → `anns-macbook-pro`), and its OS.
 */
export function deviceIdentity(hostName: string, nodePlatform: string): DeviceIdentity {
  const bare = hostName.trim().replace(/\.local$/i, '');
  // Cut by code points, not UTF-16 units, so no surrogate pair is split into invalid text; the schema counts units.
  const points = Array.from(bare);
  while (points.join('').length > MAX_NAME) points.pop();
  const name = points.join('') || 'Desktop';
  return { name, platform: PLATFORMS[nodePlatform] ?? 'other' };
}
