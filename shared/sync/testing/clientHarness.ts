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
    deviceKeys: storage.deviceKeys,
    random: () => 0.5,
    onWarning: (w) => warnings.push(w),
    ...options,
  });
  return { client, clock, transport, storage, warnings, state: () => client.getState() };
}

/** A device paired under protocol 2: no token, its key is in the harness's MemoryDeviceKeys. */
export const ALICE_CREDENTIALS = { hubId: HUB.id, userId: ALICE, deviceId: ALICE_LAPTOP };

/** Every welcome of the fake hub carries this challenge. */
export const CHALLENGE = 'BL4Vp6qSGrDCg-wS0uV9i6PHjqL8AiJZAGUFkLnUC9g';

/** Opens the current socket and answers hello with welcome (from `hub`: another identity, say). */
export function welcome(socket: FakeSocket, hub: typeof HUB = HUB): void {
  socket.open();
  socket.deliver({ type: 'welcome', hub, serverTime: 1, challenge: CHALLENGE });
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
  // The client signs the challenge before it sends `auth`.
  await flushMicrotasks();
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
