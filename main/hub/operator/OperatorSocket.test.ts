import * as fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, quietLogger } from '../testing/testHub';
import type { HubOperator } from './HubOperator';
import { OperatorSocket } from './OperatorSocket';
import { operatorSocketPath } from './operatorSocketPath';

const posix = process.platform !== 'win32';

/** Runs while the socket file is being made private, after listen: the moment a connection used to get lost in. */
let duringChmod: ((file: string) => Promise<void>) | undefined;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    chmod: async (file: string, mode: number) => {
      if (duringChmod && path.basename(file) === 'operator.sock') await duringChmod(file);
      return real.chmod(file, mode);
    },
  };
});

let temp: Awaited<ReturnType<typeof makeTempDir>>;
/** Every server the code under test made, to see what it accepted. */
const servers: net.Server[] = [];

beforeEach(async () => {
  temp = await makeTempDir();
  const create = net.createServer.bind(net);
  vi.spyOn(net, 'createServer').mockImplementation(((...args: Parameters<typeof net.createServer>) => {
    const server = create(...args);
    servers.push(server);
    return server;
  }) as typeof net.createServer);
});

afterEach(async () => {
  duringChmod = undefined;
  servers.length = 0;
  vi.restoreAllMocks();
  await temp.remove();
});

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('OperatorSocket', () => {
  it.skipIf(!posix)(
    'a connection accepted before the socket is ready is closed, and close() does not wait on it',
    async () => {
      let early: net.Socket | undefined;
      let earlyClosed: Promise<void> | undefined;
      duringChmod = async (file) => {
        const server = servers.at(-1)!;
        const accepted = new Promise<void>((resolve) => server.once('connection', () => resolve()));
        early = net.connect(file);
        early.on('error', () => {});
        earlyClosed = new Promise((resolve) => early!.once('close', () => resolve()));
        // The server has taken it in: before the fix nothing tracked it from here on.
        await accepted;
      };
      const socket = await OperatorSocket.start(temp.dir, {} as HubOperator, quietLogger);
      duringChmod = undefined;
      expect(early).toBeDefined();

      // It is closed by the hub, not served; a connection made once the socket is ready is served.
      expect(await within(earlyClosed!, 2_000)).not.toBe('timed out');
      const later = net.connect(operatorSocketPath(temp.dir));
      later.setEncoding('utf8');
      const answer = new Promise<string>((resolve) => later.once('data', (chunk: string) => resolve(chunk)));
      later.write('not json\n');
      expect(JSON.parse(await answer)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

      // A connection that is never read from nor closed by its peer does not hold close() up either.
      expect(await within(socket.close(), 2_000)).not.toBe('timed out');
      later.destroy();
      early!.destroy();
    },
  );

  it.skipIf(!posix)('makes its folder private before listening, whatever the data directory allows', async () => {
    await fs.chmod(temp.dir, 0o755);
    let folderMode: number | undefined;
    duringChmod = async (file) => {
      folderMode = (await fs.stat(path.dirname(file))).mode & 0o777;
    };
    const socket = await OperatorSocket.start(temp.dir, {} as HubOperator, quietLogger);
    // Already 0700 when the socket first existed (at listen, before its own chmod).
    expect(folderMode).toBe(0o700);
    expect((await fs.stat(socket.path)).mode & 0o777).toBe(0o600);
    await socket.close();

    // A folder left wider (by hand, or an old copy) is tightened before the next socket is made in it.
    await fs.chmod(path.dirname(socket.path), 0o755);
    folderMode = undefined;
    const again = await OperatorSocket.start(temp.dir, {} as HubOperator, quietLogger);
    expect(folderMode).toBe(0o700);
    await again.close();
  });
});
