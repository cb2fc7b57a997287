import { homedir } from 'node:os';
import path from 'node:path';

/** Where the headless hub keeps its data unless told otherwise, following each platform's convention. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.ROOST_DATA_DIR) return path.resolve(env.ROOST_DATA_DIR);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), 'Roost', 'hub');
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'Roost', 'hub');
  return path.join(env.XDG_DATA_HOME ?? path.join(homedir(), '.local', 'share'), 'roost', 'hub');
}
