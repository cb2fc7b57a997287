import type { ServerFrameOf } from '../../protocol';
import type { RoostState } from '../clientState';
import type { RoostWarning } from '../errors';
import { MemoryStorage } from '../MemoryStorage';
import { RoostClient, type RoostClientOptions } from '../RoostClient';
import { FakeClock, flushMicrotasks } from './FakeClock';
import { FakeTransport, type FakeSocket } from './FakeTransport';
import { ALICE, ALICE_LAPTOP, HUB, ready } from './fixtures';

export type Harness = {
  client: RoostClient;
  clock: FakeClock;
  transport: FakeTransport;
  storage: MemoryStorage;
  warnings: RoostWarning[];
  state(): RoostState;
};

/** A RoostClient on a fake transport, fake clock and memory storage. */
export function makeClient(options: Partial<RoostClientOptions> = {}, storage = new MemoryStorage()): Harness {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const warnings: RoostWarning[] = [];
  let n = 0;
  const client = new RoostClient({
    transport,
    storage,
    clock,
    randomId: () => `client-msg-${++n}`,
    device: { name: 'Laptop', platform: 'linux' },
    random: () => 0.5,
    onWarning: (w) => warnings.push(w),
    ...options,
  });
  return { client, clock, transport, storage, warnings, state: () => client.getState() };
}

export const ALICE_CREDENTIALS = { hubId: HUB.id, userId: ALICE, deviceId: ALICE_LAPTOP, token: 'token-a1' };

/** Opens the current socket and answers hello with welcome. */
export function welcome(socket: FakeSocket): void {
  socket.open();
  socket.deliver({ type: 'welcome', hub: HUB, serverTime: 1 });
}

/** Starts a client that has credentials, and takes it through hello/auth to `ready`. */
export async function startPaired(h: Harness, readyFrame: ServerFrameOf<'ready'> = ready()): Promise<FakeSocket> {
  if (!(await h.storage.loadCredentials())) await h.storage.saveCredentials(ALICE_CREDENTIALS);
  await h.client.start();
  return authenticate(h, readyFrame);
}

/** Answers the current connection's hello and auth. */
export async function authenticate(h: Harness, readyFrame: ServerFrameOf<'ready'> = ready()): Promise<FakeSocket> {
  const socket = h.transport.current;
  welcome(socket);
  socket.deliver({ ...readyFrame, rid: socket.last('auth').rid });
  await flushMicrotasks();
  return socket;
}

/** Answers the last fetchMessages request on the socket. */
export function answerFetch(
  socket: FakeSocket,
  messages: ServerFrameOf<'messages'>['messages'],
  hasMore = false,
): void {
  const request = socket.last('fetchMessages');
  socket.deliver({
    type: 'messages',
    rid: request.rid,
    conversationId: request.conversationId,
    direction: request.direction,
    messages,
    hasMore,
  });
}

export { flushMicrotasks };
