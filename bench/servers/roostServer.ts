import { Hub } from '../../main/hub/Hub';
import { HOST, type RunningServer } from './RunningServer';

const quiet = {
  info: () => {},
  warn: (m: string) => console.warn(`[hub] ${m}`),
  error: (m: string, e?: unknown) => console.error(`[hub] ${m}`, e ?? ''),
};

/**
 * The real hub: persistence and durable acks as shipped. Two settings are
 * changed: the per-connection frame rate (the benchmark's single sender
 * sends thousands of messages a second, far past the 100/s a person needs)
 * and the people one user may add per minute (the sender builds one room of
 * every receiver). Embedders may set both (HubOptions.limits, .rooms); the
 * protocol fixes neither. The same hub serves the `roost` and `roostTls`
 * kinds: it speaks TLS on its one port to a client that does, as shipped.
 */
export async function startRoostServer(dataDir: string): Promise<RunningServer & { startMs: number }> {
  const started = performance.now();
  const hub = await Hub.start({
    dataDir,
    port: 0,
    host: HOST,
    logger: quiet,
    limits: { framesPerSecond: 1e9, frameBurst: 1e9 },
    // The sender adds every receiver (up to 1,000) to one room at once, past the per-minute cap a person needs.
    rooms: { membersAddedPerMinute: Number.POSITIVE_INFINITY },
  });
  const startMs = performance.now() - started;
  return {
    port: hub.port,
    startMs,
    joinToken: () => hub.createJoinToken().token,
    identity: hub.identity,
    stop: () => hub.stop(),
  };
}
