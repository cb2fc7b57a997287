import { Child } from '../ipc/Child';
import { ServerReplySchema, ServerStartedSchema, type ServerReply, type ServerRequest } from '../ipc/messages';
import type { ServerProcess } from '../processes';
import type { FileSide } from './FileResults';

/** A server of the file benchmark in its own process: the hub (serverMain, kind roost) or the peer. */
export type FileServer = { side: FileSide; child: Child<ServerRequest, ServerReply>; port: number };

export function hubFileServer(hub: ServerProcess): FileServer {
  return { side: 'hub', child: hub.child, port: hub.port };
}

/** Starts the peer (peerServerMain.ts) storing into `dir`; BENCH_CPU_PROF profiles it as it does the hub. */
export async function startPeer(dir: string): Promise<FileServer> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = Child.spawn<ServerRequest, ServerReply>(
    'peer file server',
    'files/peerServerMain.ts',
    [dir],
    ServerReplySchema,
    profile,
  );
  const started = await child.first(ServerStartedSchema);
  return { side: 'peer', child, port: started.port };
}

export async function stopPeer(peer: FileServer): Promise<void> {
  await peer.child.request({ type: 'stop' }, 'stopped').catch(() => undefined);
  await peer.child.ended();
}

export type CpuReading = { all: number; mainThread: number | null };

/** The server's CPU time so far in microseconds: all threads, and its event-loop thread alone (Linux). */
export async function cpuOf(server: FileServer): Promise<CpuReading> {
  const reply = await server.child.request({ type: 'cpu' }, 'cpu');
  return { all: reply.micros, mainThread: reply.mainThreadMicros };
}
