import {
  LoadRequestSchema,
  type Credentials,
  type LoadReply,
  type LoadRequest,
  type RoostSetup,
  type ServerKind,
} from '../ipc/messages';
import { serveRequests } from '../ipc/serveRequests';
import { isRoost, overTls } from '../serverKinds';
import { runAppendLoad } from './appendLoad';
import { runCatchUp } from './catchUp';
import { connectMany, type Closable, type Dialect, type Endpoint, type Sender } from './Dialect';
import { LoadDriver } from './LoadDriver';
import { Recorder } from './Recorder';
import { roostDialect } from './roostDialect';
import { socketIoDialect } from './socketIoDialect';
import { wsDialect } from './wsDialect';

/** Connections opened at once while setting up: quick, without a SYN flood on the server's accept queue. */
const PARALLEL_CONNECTS = 32;

/**
 * The load generator: a process of its own, holding the sender and all
 * receivers of one server under test, and doing what the orchestrator asks.
 */
const recorder = new Recorder();
const open: Closable[] = [];
const idle: Closable[] = [];
let driver: LoadDriver | null = null;

/** The dialect for a server kind; `pin` is the Roost hub's identity, checked over TLS. */
function dialectFor(
  kind: ServerKind,
  port: number,
  o: { roost?: RoostSetup; devices?: Credentials[]; pin?: string },
): Dialect {
  const endpoint: Endpoint = overTls(kind) ? { port, tls: { pin: o.pin } } : { port };
  if (kind === 'socketio') return socketIoDialect(port);
  if (!isRoost(kind)) return wsDialect(endpoint);
  // Idle devices only authenticate: they need credentials, not a join token.
  const setup = o.roost ?? (o.devices ? { joinToken: '', receivers: o.devices } : undefined);
  if (!setup) throw new Error(`${kind} needs set-up data`);
  return roostDialect(endpoint, setup);
}

serveRequests<LoadRequest, LoadReply>(LoadRequestSchema, async (request) => {
  switch (request.type) {
    case 'connect': {
      const dialect = dialectFor(request.kind, request.port, request);
      const sender: Sender = await dialect.connectSender();
      open.push(sender);
      open.push(
        ...(await connectMany(request.receivers, PARALLEL_CONNECTS, (i) =>
          dialect.connectReceiver(i, recorder.onFrame),
        )),
      );
      driver = new LoadDriver(sender, recorder, request.receivers);
      return { type: 'done' };
    }
    case 'idle': {
      const dialect = dialectFor(request.kind, request.port, request);
      idle.push(...(await connectMany(request.count, PARALLEL_CONNECTS, (i) => dialect.connectReceiver(i, () => {}))));
      return { type: 'done' };
    }
    case 'closeIdle':
      for (const c of idle.splice(0)) c.close();
      return { type: 'done' };
    case 'startLoad':
      if (!driver) throw new Error('connect first');
      if (request.mode === 'saturate') driver.saturate(request.windowDeliveries);
      else driver.fixed(request.deliveriesPerSec);
      return { type: 'done' };
    case 'measureStart':
      driver?.measureStart();
      return { type: 'done' };
    case 'measureStop':
      if (!driver) throw new Error('connect first');
      return { type: 'window', stats: driver.measureStop() };
    case 'stopLoad': {
      const missing = (await driver?.drain()) ?? 0;
      if (missing > 0) console.warn(`load generator: ${missing} deliveries never arrived`);
      return { type: 'done' };
    }
    case 'appends':
      return { type: 'appends', stats: await runAppendLoad(request) };
    case 'catchUp':
      return {
        type: 'catchUp',
        ...(await runCatchUp(request.port, request.device, request.conversationId, request.missed)),
      };
    case 'close':
      driver?.stop();
      for (const c of [...open, ...idle]) c.close();
      setTimeout(() => process.exit(0), 50);
      return { type: 'done' };
  }
});
