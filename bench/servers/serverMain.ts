import {
  ServerKindSchema,
  ServerRequestSchema,
  type ServerKind,
  type ServerReply,
  type ServerRequest,
} from '../ipc/messages';
import { serveRequests } from '../ipc/serveRequests';
import { isRoost } from '../serverKinds';
import { sendLoop, startBareWsServer } from './bareWsServer';
import { preparedFrame } from './preparedFrame';
import { startRoostServer } from './roostServer';
import type { RunningServer } from './RunningServer';
import { mainThreadCpuMicros } from './threadCpu';
import { startSocketIoServer } from './socketIoServer';
import { selfSignedContext } from './tlsContext';

/**
 * One server under test in its own process: `serverMain <kind> [dataDir]`.
 * Reports its port, then answers the orchestrator's questions about its own
 * CPU time and memory, which only it can measure.
 */
async function main(): Promise<void> {
  const kind = ServerKindSchema.parse(process.argv[2]);
  const started = performance.now();
  let server: RunningServer;
  let startMs: number;
  if (isRoost(kind)) {
    const dataDir = process.argv[3];
    if (!dataDir) throw new Error('roost needs a data directory');
    const roost = await startRoostServer(dataDir);
    server = roost;
    startMs = roost.startMs;
  } else {
    server = await startBareServer(kind);
    startMs = performance.now() - started;
  }
  serveRequests<ServerRequest, ServerReply>(ServerRequestSchema, async (request) => {
    switch (request.type) {
      case 'cpu': {
        const usage = process.cpuUsage();
        return { type: 'cpu', micros: usage.user + usage.system, mainThreadMicros: mainThreadCpuMicros() };
      }
      case 'rss':
        return { type: 'rss', bytes: await settledRss() };
      case 'joinToken':
        if (!server.joinToken) throw new Error(`${kind} has no join tokens`);
        return { type: 'joinToken', token: server.joinToken() };
      case 'stop':
        await server.stop();
        setImmediate(() => process.exit(0));
        return { type: 'stopped' };
    }
  });
  process.send?.({ id: 0, type: 'started', port: server.port, startMs, identity: server.identity });
}

async function startBareServer(kind: ServerKind): Promise<RunningServer> {
  switch (kind) {
    case 'socketio':
      return startSocketIoServer();
    case 'wsFrame':
      return startBareWsServer(preparedFrame);
    case 'wsTls':
      return startBareWsServer(sendLoop, await selfSignedContext());
    default:
      return startBareWsServer(sendLoop);
  }
}

/** RSS after garbage collection has had its say, so that garbage is not counted as cost. */
async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage.rss();
}

main().catch((err: unknown) => {
  console.error('bench server failed:', err);
  process.exit(1);
});
