import net from 'node:net';
import { describeSchemaError } from '../../shared/util/schemaError';
import {
  OPERATOR_COMMANDS,
  OperatorResponseSchema,
  type OperatorArgs,
  type OperatorCommand,
  type OperatorResult,
} from '../hub/operator/operatorProtocol';

/** The hub refused the command: its stable code and its message. */
export class CommandRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandRefusedError';
  }
}

/** No hub answers at this data directory's socket, with what the owner can do about it. */
export class NoHubError extends Error {
  readonly code = 'NO_HUB';
}

/** Largest response taken (an audit read of 1000 entries is about 400 KiB). */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * Sends one command to the hub listening on `socketPath` and resolves with its result, checked against the
 * command's schema. Rejects with CommandRefusedError (the hub said no), NoHubError (nothing listens there)
 * or an Error for anything else.
 */
export async function sendOperatorCommand<C extends OperatorCommand>(
  socketPath: string,
  dataDir: string,
  command: C,
  args: OperatorArgs<C>,
  timeoutMs = 30_000,
): Promise<OperatorResult<C>> {
  const text = await exchange(socketPath, dataDir, `${JSON.stringify({ id: '1', command, args })}\n`, timeoutMs);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`the hub answered something that is not JSON: ${text.slice(0, 100)}`);
  }
  const response = OperatorResponseSchema.safeParse(raw);
  if (!response.success) throw new Error(`the hub's answer is malformed: ${describeSchemaError(response.error)}`);
  if (!response.data.ok) throw new CommandRefusedError(response.data.error.code, response.data.error.message);
  const result = OPERATOR_COMMANDS[command].result.safeParse(response.data.result);
  if (!result.success)
    throw new Error(`the hub's answer to ${command} is malformed: ${describeSchemaError(result.error)}`);
  return result.data as OperatorResult<C>;
}

/** Writes the request and resolves with the first line that comes back. */
function exchange(socketPath: string, dataDir: string, request: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath });
    let received = '';
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => fail(new Error(`the hub did not answer within ${timeoutMs / 1000} s`)));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const nl = received.indexOf('\n');
      if (nl !== -1) {
        socket.end();
        resolve(received.slice(0, nl));
      } else if (received.length > MAX_RESPONSE_BYTES) fail(new Error('the hub answered more than expected'));
    });
    socket.on('end', () => fail(new Error('the hub closed the connection without answering')));
    socket.on('error', (err: NodeJS.ErrnoException) => fail(connectError(err, socketPath, dataDir)));
  });
}

function connectError(err: NodeJS.ErrnoException, socketPath: string, dataDir: string): Error {
  const start = `Start one with: npm run hub -- --data-dir ${JSON.stringify(dataDir)}`;
  switch (err.code) {
    case 'ENOENT':
      return new NoHubError(`No hub is running with the data directory ${dataDir} (no ${socketPath}). ${start}`);
    case 'ECONNREFUSED':
      return new NoHubError(
        `No hub is running with the data directory ${dataDir}: ${socketPath} was left by a hub that stopped. ${start}`,
      );
    case 'EACCES':
    case 'EPERM':
      return new NoHubError(
        `${socketPath} is not yours: only the user who runs the hub can give it commands (run this as that user).`,
      );
    default:
      return new Error(`could not reach the hub at ${socketPath}: ${err.message}`);
  }
}
