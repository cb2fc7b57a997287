import { Child } from './ipc/Child';
import {
  LoadReplySchema,
  ServerReplySchema,
  ServerStartedSchema,
  type LoadReply,
  type LoadRequest,
  type ServerKind,
  type ServerReply,
  type ServerRequest,
} from './ipc/messages';

export type ServerProcess = {
  kind: ServerKind;
  child: Child<ServerRequest, ServerReply>;
  port: number;
  /** The Roost hub's identity, for clients over TLS to check its proof against. */
  identity?: string;
  startMs: number;
  spawnToListenMs: number;
};
export type LoadProcess = Child<LoadRequest, LoadReply>;

/** Starts a server under test in a process of its own and waits until it listens. */
export async function startServer(kind: ServerKind, dataDir?: string): Promise<ServerProcess> {
  const t0 = performance.now();
  // BENCH_CPU_PROF=<dir> profiles every server process (node --cpu-prof), for finding where the time goes.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = Child.spawn<ServerRequest, ServerReply>(
    `server ${kind}`,
    'servers/serverMain.ts',
    dataDir ? [kind, dataDir] : [kind],
    ServerReplySchema,
    ['--expose-gc', ...profile],
  );
  const started = await child.first(ServerStartedSchema);
  return {
    kind,
    child,
    port: started.port,
    identity: started.identity,
    startMs: started.startMs,
    spawnToListenMs: performance.now() - t0,
  };
}

export async function stopServer(server: ServerProcess): Promise<void> {
  await server.child.request({ type: 'stop' }, 'stopped').catch(() => undefined);
  await server.child.ended();
}

export function startLoadGenerator(name: string): LoadProcess {
  return Child.spawn<LoadRequest, LoadReply>(`load generator ${name}`, 'loadgen/loadgenMain.ts', [], LoadReplySchema);
}

export async function stopLoadGenerator(load: LoadProcess): Promise<void> {
  await load.request({ type: 'close' }, 'done').catch(() => undefined);
  await load.ended();
}

/** The server's CPU time so far: all threads, and its event-loop thread alone (null off Linux). */
export async function serverCpuMicros(server: ServerProcess): Promise<{ all: number; mainThread: number | null }> {
  const reply = await server.child.request({ type: 'cpu' }, 'cpu');
  return { all: reply.micros, mainThread: reply.mainThreadMicros };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
