import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, LIMITS, PROTOCOL_VERSION, type ServerFrame } from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import type { Hub } from './Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { pairRequest } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { pairNewUser, startTestHub, type Device } from './testing/testHub';

let hub: Hub;
let cleanup: () => Promise<void>;
let alice: Device;
let bob: Device;
let n = 0;

beforeAll(async () => {
  ({ hub, cleanup } = await startTestHub({ limits: { framesPerSecond: 20, frameBurst: 40 } }));
  alice = await pairNewUser(hub, 'Alice');
  bob = await pairNewUser(hub, 'Bob');
});

afterAll(async () => {
  await alice.client.close();
  await bob.client.close();
  await cleanup();
});

/** After any bad input from someone, the hub must still serve everyone else. */
async function hubStillServes(): Promise<void> {
  const text = `still here ${n++}`;
  await bob.client.expect(
    { type: 'send', conversationId: GENERAL, clientMsgId: `ok-check-${n}-${Date.now()}`, text },
    'ack',
  );
  await alice.client.nextOf('message', (f) => f.message.text === text);
}

/**
 * Frames of the right shape whose contents the hub never gets to look at (refused for the connection's state).
 * The hub checks a key or a share only once it handles the frame.
 */
const shapedPakeStart = {
  type: 'pakeStart',
  credential: { kind: 'code', displayName: 'E' },
  device: { name: 'E', platform: 'web' },
  publicKey: memoryDeviceKey().publicKey,
  share: 'A'.repeat(87),
};
const shapedAuth = { type: 'auth', deviceId: 'abc', signature: 'A'.repeat(86) };

/** A whole attempt with a pairing code (pakeStart, pakeFinish), as a device makes it; the hub's last answer. */
const codeAttempt =
  (code: string, platform: string) =>
  (client: TestClient): Promise<ServerFrame> =>
    pairRequest(client, {
      credential: { kind: 'code', code, displayName: 'E' },
      // An unknown platform is what an old or foreign client may send: the schema reads it as 'other'.
      device: { name: 'E', platform: platform as 'web' },
    });

type Stage = 'fresh' | 'greeted' | 'ready';
type Send = string | Record<string, unknown> | ((client: TestClient) => Promise<ServerFrame>);
const cases: Array<{ name: string; stage: Stage; send: Send; code: string; rid?: string }> = [
  { name: 'non-JSON text', stage: 'ready', send: '{not json', code: 'BAD_JSON' },
  { name: 'a JSON array', stage: 'ready', send: '[1,2]', code: 'BAD_FRAME' },
  { name: 'a frame without type', stage: 'ready', send: { text: 'hi' }, code: 'BAD_FRAME' },
  {
    name: 'an unknown type',
    stage: 'ready',
    send: { type: 'selfDestruct', rid: 'u1' },
    code: 'UNKNOWN_TYPE',
    rid: 'u1',
  },
  {
    name: 'wrong field types',
    stage: 'ready',
    send: { type: 'send', rid: 'w1', conversationId: GENERAL, clientMsgId: 12345678, text: 'x' },
    code: 'BAD_FRAME',
    rid: 'w1',
  },
  {
    name: 'a blank message',
    stage: 'ready',
    send: { type: 'send', conversationId: GENERAL, clientMsgId: 'blank-0001', text: '   ' },
    code: 'BAD_FRAME',
  },
  {
    name: 'a too-long message',
    stage: 'ready',
    send: {
      type: 'send',
      conversationId: GENERAL,
      clientMsgId: 'long-00001',
      text: 'x'.repeat(LIMITS.maxTextLength + 1),
    },
    code: 'BAD_FRAME',
  },
  {
    name: 'a page size over the limit',
    stage: 'ready',
    send: {
      type: 'fetchMessages',
      conversationId: GENERAL,
      direction: 'forward',
      cursor: 0,
      limit: LIMITS.maxPageSize + 1,
    },
    code: 'BAD_FRAME',
  },
  {
    name: 'an unknown conversation',
    stage: 'ready',
    send: { type: 'send', conversationId: 'nope', clientMsgId: 'nope-00001', text: 'x' },
    code: 'NOT_FOUND',
  },
  {
    name: 'a path-like conversation id',
    stage: 'ready',
    send: { type: 'fetchMessages', conversationId: '../../etc', direction: 'forward', cursor: 0 },
    code: 'BAD_FRAME',
  },
  { name: 'a second hello', stage: 'ready', send: { type: 'hello', protocol: PROTOCOL_VERSION }, code: 'BAD_FRAME' },
  { name: 'authenticating when already paired', stage: 'ready', send: shapedAuth, code: 'ALREADY_AUTHENTICATED' },
  {
    name: 'pairing by code when already paired',
    stage: 'ready',
    send: shapedPakeStart,
    code: 'ALREADY_AUTHENTICATED',
  },
  {
    name: 'a message before hello',
    stage: 'fresh',
    send: { type: 'send', conversationId: GENERAL, clientMsgId: 'early-0001', text: 'x' },
    code: 'NOT_AUTHENTICATED',
  },
  { name: 'pairing before hello', stage: 'fresh', send: shapedPakeStart, code: 'HELLO_REQUIRED' },
  {
    name: 'a message before pairing',
    stage: 'greeted',
    send: { type: 'send', conversationId: GENERAL, clientMsgId: 'early-0002', text: 'x' },
    code: 'NOT_AUTHENTICATED',
  },
  {
    name: 'fetching history before pairing',
    stage: 'greeted',
    send: { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 },
    code: 'NOT_AUTHENTICATED',
  },
  {
    name: 'listing devices before pairing',
    stage: 'greeted',
    send: { type: 'listDevices' },
    code: 'NOT_AUTHENTICATED',
  },
  { name: 'a wrong pairing code', stage: 'greeted', send: codeAttempt('abc', 'web'), code: 'PAIRING_CODE_INVALID' },
  {
    name: 'an unknown platform (falls back, wrong code still refused)',
    stage: 'greeted',
    send: codeAttempt('1', 'amiga'),
    code: 'PAIRING_CODE_INVALID',
  },
];

async function answerTo(client: TestClient, send: Send): Promise<ServerFrame> {
  if (typeof send === 'function') return send(client);
  client.sendText(typeof send === 'string' ? send : JSON.stringify(send));
  return client.nextOf('error');
}

describe('bad input gets its documented error and the hub keeps serving', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      const client = c.stage === 'ready' ? alice.client : await TestClient.connect(hub.port);
      if (c.stage === 'greeted') await client.hello();
      const error = await answerTo(client, c.send);
      if (error.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(error)}`);
      expect(error.code).toBe(c.code);
      expect(error.message.length).toBeGreaterThan(5);
      if (c.rid) expect(error.rid).toBe(c.rid);
      expect(client.closed).toBeUndefined();
      if (client !== alice.client) await client.close();
      await hubStillServes();
    });
  }

  it('a binary frame → BINARY_NOT_SUPPORTED', async () => {
    alice.client.ws.send(Buffer.from([1, 2, 3]));
    expect((await alice.client.nextOf('error')).code).toBe('BINARY_NOT_SUPPORTED');
    await hubStillServes();
  });

  it(`an oversize frame closes only that connection with ${CloseCode.TOO_BIG}`, async () => {
    const client = await TestClient.connect(hub.port);
    await client.hello();
    client.sendText(
      JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'x'.repeat(LIMITS.maxFrameBytes) }),
    );
    expect((await client.waitClosed()).code).toBe(CloseCode.TOO_BIG);
    await hubStillServes();
  });

  it(`a flood closes only that connection with ${CloseCode.RATE_LIMITED}`, async () => {
    const client = await TestClient.connect(hub.port);
    // One welcome, then "a second hello" refusals, until the budget is spent.
    for (let i = 0; i < 200; i++) client.sendFrame({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect((await client.waitClosed()).code).toBe(CloseCode.RATE_LIMITED);
    await hubStillServes();
  });
});
