import { Hub } from '../../main/hub/Hub';
import { HOST, type RunningServer } from './RunningServer';

const quiet = {
  info: () => {},
  warn: (m: string) => console.warn(`[hub] ${m}`),
  error: (m: string, e?: unknown) => console.error(`[hub] ${m}`, e ?? ''),
};

/**
 * The real hub: persistence and durable acks as shipped. The one setting
 * changed is the per-connection frame rate: the benchmark's single sender
 * sends thousands of messages a second, far past the 100/s a person needs.
 * Embedders may set it (HubOptions.limits); the protocol does not fix it.
 */
export async function startRoostServer(dataDir: string): Promise<RunningServer & { startMs: number }> {
  const started = performance.now();
  const hub = await Hub.start({
    dataDir,
    port: 0,
    host: HOST,
    logger: quiet,
    limits: { framesPerSecond: 1e9, frameBurst: 1e9 },
  });
  const startMs = performance.now() - started;
  return { port: hub.port, startMs, joinToken: () => hub.createJoinToken().token, stop: () => hub.stop() };
}
