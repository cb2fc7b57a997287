import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import net from 'node:net';
import { dirname } from 'node:path';
import type { HubLogger } from '../HubContext';
import type { HubOperator } from './HubOperator';
import {
  OPERATOR_SOCKET_DEFAULTS,
  OperatorError,
  OperatorErrorCode,
  OperatorRequestSchema,
  type OperatorResponse,
  type OperatorSocketOptions,
} from './operatorProtocol';
import { operatorSocketPath, socketPathProblem } from './operatorSocketPath';
import { runOperatorCommand } from './runOperatorCommand';

/**
 * The operator socket: how `npm run hub -- <command>` reaches the running hub. A Unix socket in a folder of
 * the data directory that the hub makes 0700 before listening (the socket itself 0600), a named pipe on
 * Windows: never a network listener, so only the hub's own user (and the machine's administrators) can give
 * commands. Line-delimited JSON (operatorProtocol.ts), bounded: request size, connections at once, idle
 * time; requests of one connection are carried out one after another.
 *
 * Start it only while holding the data directory's lock: a socket file left by a hub that died is then
 * known to be stale, and is replaced.
 */
export class OperatorSocket {
  /** Every socket the server accepted, served or not: close() ends them all, so it never waits on one. */
  private readonly accepted = new Set<net.Socket>();
  /** The ones being served, counted against maxConnections. */
  private readonly serving = new Set<net.Socket>();
  private readonly server = net.createServer({ allowHalfOpen: false, pauseOnConnect: false });
  private ready = false;
  private closing = false;

  private constructor(
    readonly path: string,
    private readonly operator: HubOperator,
    private readonly options: Required<OperatorSocketOptions>,
    private readonly logger: HubLogger,
  ) {
    // Before listening: a connection accepted before the handler is attached is tracked by nobody, and
    // server.close() would then wait for it for as long as its peer keeps it open.
    this.server.on('connection', (socket) => this.accept(socket));
  }

  static async start(
    dataDir: string,
    operator: HubOperator,
    logger: HubLogger,
    options: OperatorSocketOptions = {},
  ): Promise<OperatorSocket> {
    const path = operatorSocketPath(dataDir);
    const problem = socketPathProblem(path);
    if (problem) throw new Error(problem);
    if (process.platform !== 'win32') {
      await makePrivateFolder(dirname(path));
      await removeStaleSocket(path);
    }
    const socket = new OperatorSocket(path, operator, { ...OPERATOR_SOCKET_DEFAULTS, ...options }, logger);
    try {
      await socket.listen();
    } catch (err) {
      await socket.close();
      throw err;
    }
    return socket;
  }

  private async listen(): Promise<void> {
    const { server } = this;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: this.path, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The 0700 folder already keeps other users out, from the moment the socket exists; this is a second lock.
    if (process.platform !== 'win32') await chmod(this.path, 0o600);
    server.on('error', (err) => this.logger.error('the operator socket failed', err));
    this.ready = true;
  }

  /** Stops listening, ends every connection at once (answered or not), and removes the socket file. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.accepted) socket.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    this.accepted.add(socket);
    socket.on('close', () => {
      this.accepted.delete(socket);
      this.serving.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.setTimeout(this.options.idleTimeoutMs, () => socket.destroy());
    // Before the socket is 0600 (a connection then can only be the hub's own user's, through the 0700 folder,
    // but the socket is not ready to serve), and once stopping.
    if (!this.ready || this.closing) {
      socket.destroy();
      return;
    }
    if (this.serving.size >= this.options.maxConnections) {
      const message = `${this.options.maxConnections} operator connections are open; try again when one is done.`;
      socket.end(line({ id: null, ok: false, error: { code: OperatorErrorCode.BUSY, message } }));
      return;
    }
    this.serving.add(socket);
    let buffered = '';
    let queue = Promise.resolve();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!this.withinLimit(socket, text)) return;
        queue = queue.then(() => this.answer(socket, text));
      }
      this.withinLimit(socket, buffered);
    });
  }

  /** A line over the limit (or a partial one already past it) is answered TOO_LARGE and the connection closed. */
  private withinLimit(socket: net.Socket, text: string): boolean {
    if (Buffer.byteLength(text) <= this.options.maxRequestBytes) return true;
    const message = `A request may be at most ${this.options.maxRequestBytes} bytes.`;
    socket.end(line({ id: null, ok: false, error: { code: OperatorErrorCode.TOO_LARGE, message } }));
    socket.removeAllListeners('data');
    return false;
  }

  private async answer(socket: net.Socket, text: string): Promise<void> {
    const response = await this.respond(text);
    if (socket.writable) socket.write(line(response));
  }

  private async respond(text: string): Promise<OperatorResponse> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return refused(null, OperatorErrorCode.BAD_REQUEST, 'A request is one JSON object per line.');
    }
    const parsed = OperatorRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const given = (raw as { id?: unknown } | null)?.id;
      const id = typeof given === 'string' && given !== '' ? given.slice(0, 64) : null;
      return refused(id, OperatorErrorCode.BAD_REQUEST, 'A request is {"id","command","args"}: id a string.');
    }
    const { id } = parsed.data;
    if (this.closing) return refused(id, OperatorErrorCode.STOPPING, 'The hub is stopping.');
    try {
      return { id, ok: true, result: await runOperatorCommand(this.operator, parsed.data) };
    } catch (err) {
      if (err instanceof OperatorError) return refused(id, err.code, err.message);
      this.logger.error(`operator command ${parsed.data.command} failed`, err);
      return refused(id, OperatorErrorCode.INTERNAL, 'The hub failed to carry out the command; see its log.');
    }
  }
}

function refused(id: string | null, code: OperatorErrorCode, message: string): OperatorResponse {
  return { id, ok: false, error: { code, message } };
}

function line(response: OperatorResponse): string {
  return `${JSON.stringify(response)}\n`;
}

/** A socket file left by a hub that died; anything else at that path is not ours to remove. */
async function removeStaleSocket(path: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stats.isSocket())
    throw new Error(`${path} exists and is not a socket: move it away so the hub can make its operator socket there`);
  await unlink(path);
}

/**
 * The socket's folder, made 0700 (an older one tightened): other users cannot reach a socket inside it even
 * before the socket's own mode is set, and even when the data directory itself is wider (a folder the owner
 * made before the first start keeps its mode). Anything but a folder of this user there is not ours to replace.
 */
async function makePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const stats = await lstat(folder);
  if (!stats.isDirectory())
    throw new Error(`${folder} exists and is not a folder: move it away so the hub can make its operator socket there`);
  if (process.getuid && stats.uid !== process.getuid())
    throw new Error(`${folder} belongs to another user: move it away so the hub can make its operator socket there`);
  if ((stats.mode & 0o077) !== 0) await chmod(folder, 0o700);
}
