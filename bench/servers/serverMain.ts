import { ServerKindSchema, ServerRequestSchema, type ServerReply, type ServerRequest } from '../ipc/messages';
import { serveRequests } from '../ipc/serveRequests';
import { sendLoop, startBareWsServer } from './bareWsServer';
import { preparedFrame } from './preparedFrame';
import { startRoostServer } from './roostServer';
import type { RunningServer } from './RunningServer';
import { mainThreadCpuMicros } from './threadCpu';
import { startSocketIoServer } from './socketIoServer';

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
  if (kind === 'roost') {
    const dataDir = process.argv[3];
    if (!dataDir) throw new Error('roost needs a data directory');
    const roost = await startRoostServer(dataDir);
    server = roost;
    startMs = roost.startMs;
  } else {
    server =
      kind === 'socketio'
        ? await startSocketIoServer()
        : await startBareWsServer(kind === 'ws' ? sendLoop : preparedFrame);
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
  process.send?.({ id: 0, type: 'started', port: server.port, startMs });
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
