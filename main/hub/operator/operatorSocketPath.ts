import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * The socket's folder in the data directory and its name there (POSIX). The hub makes the folder 0700 before it
 * listens, so the socket is private from the moment it exists, whatever the data directory's own mode.
 */
export const OPERATOR_SOCKET_DIR = 'operator';
export const OPERATOR_SOCKET_FILE = 'operator.sock';

/**
 * Longest socket path the platform's `sockaddr_un` takes, terminating NUL excluded: 108 bytes on Linux,
 * 104 on macOS and the BSDs.
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/**
 * Where the operator socket of the hub with this data directory listens: `<dataDir>/operator/operator.sock`, or on
 * Windows, which has no sockets in folders, the named pipe `\\.\pipe\roost-<first 16 hex of the SHA-256 of
 * the resolved data directory>`. The CLI finds it the same way from the same directory.
 */
export function operatorSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const digest = createHash('sha256').update(path.win32.resolve(dataDir).toLowerCase()).digest('hex');
    return `\\\\.\\pipe\\roost-${digest.slice(0, 16)}`;
  }
  return path.join(path.resolve(dataDir), OPERATOR_SOCKET_DIR, OPERATOR_SOCKET_FILE);
}

/** Why the socket cannot be made at this path, or undefined if it can. */
export function socketPathProblem(
  socketPath: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform === 'win32') return undefined;
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH_BYTES) return undefined;
  return (
    `the operator socket path ${socketPath} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a socket path ` +
    'may have: start the hub with a shorter --data-dir to use operator commands'
  );
}
