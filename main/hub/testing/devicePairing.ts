import type { PairCredential, Platform, ServerFrame, ServerFrameOf } from '../../../shared/protocol';
import { memoryDeviceKey } from '../../../shared/sync/MemoryDeviceKeys';
import type { DeviceKey } from '../../../shared/sync/deviceKeys';
import { authFrame as authFrameFor, codeExchange, pairSignature } from '../../../shared/sync/deviceProofs';
import type { Credentials, TestClient } from './TestClient';

/**
 * Protocol 2's pairing and authentication for raw-frame tests, done as a client must (PROTOCOL.md 6): a join token
 * in `pair`, codes through SPAKE2 (`pakeStart`, `pakeFinish`), and `auth` signing the connection's challenge.
 */
export type PairInput = {
  credential: PairCredential;
  device: { name: string; platform: Platform };
  /** Default: a new key. */
  key?: DeviceKey;
};

/** The hub's answer to pairing: `paired` or an `error`. After hello(). */
export async function pairRequest(client: TestClient, input: PairInput): Promise<ServerFrame> {
  const key = input.key ?? memoryDeviceKey();
  const session = client.welcomed;
  const signature = await pairSignature(session, key);
  const { credential, device } = input;
  if (credential.kind === 'joinToken') {
    return client.request({ type: 'pair', credential, device, publicKey: key.publicKey, signature });
  }
  const exchange = codeExchange(session, key, credential, device);
  const reply = await client.request(exchange.start);
  if (reply.type !== 'pakeReply') return reply;
  // A real client stops when the hub's confirmation is wrong; this one finishes anyway, so tests see the hub's own
  // verdict on a wrong code (PAIRING_CODE_INVALID, LINK_CODE_INVALID).
  const { confirm } = exchange.finish(reply);
  return client.request({ type: 'pakeFinish', confirm, signature });
}

/** Pairs and waits for `ready`; sets client.credentials. */
export async function expectPaired(
  client: TestClient,
  input: PairInput,
): Promise<{ paired: ServerFrameOf<'paired'>; ready: ServerFrameOf<'ready'>; credentials: Credentials }> {
  const key = input.key ?? memoryDeviceKey();
  const answer = await pairRequest(client, { ...input, key });
  if (answer.type !== 'paired') throw new Error(`expected "paired", got ${JSON.stringify(answer)}`);
  const ready = await client.nextOf('ready');
  client.credentials = { deviceId: answer.deviceId, userId: answer.userId, key };
  return { paired: answer, ready, credentials: client.credentials };
}

/** `auth` for these credentials on this connection (after hello()); resolves with the hub's answer. */
export async function authRequest(client: TestClient, credentials: Credentials): Promise<ServerFrame> {
  return client.request(await authFrame(client, credentials));
}

/** The `auth` frame: the device's signature over this connection's challenge and the hub's identity. */
export function authFrame(client: TestClient, credentials: Pick<Credentials, 'deviceId' | 'key'>) {
  return authFrameFor(client.welcomed, credentials.key, credentials);
}
