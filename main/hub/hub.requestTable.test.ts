import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_FRAME_TYPES,
  ErrorCode,
  REQUESTS,
  requestErrors,
  type ClientFrameType,
  type RequestSpec,
  type ServerFrame,
} from '../../shared/protocol';
import { CLIENT_FRAME_EXAMPLES } from '../../shared/protocol/examples';
import type { Hub } from './Hub';
import { TestClient } from './testing/TestClient';
import { pairNewUser, startTestHub, type Device } from './testing/testHub';

/**
 * shared/protocol/requests.ts, from which docs/protocol/frames.md is made,
 * against the hub: every request's example frame, sent in each connection
 * state, gets what the table says (PROTOCOL.md 5.3).
 */

let hub: Hub;
let cleanup: () => Promise<void>;
let alice: Device;

beforeAll(async () => {
  ({ hub, cleanup } = await startTestHub());
  alice = await pairNewUser(hub, 'Alice');
});

afterAll(async () => {
  await alice.client.close();
  await cleanup();
});

async function answer(client: TestClient, type: ClientFrameType): Promise<ServerFrame> {
  const { rid: _rid, ...example } = CLIENT_FRAME_EXAMPLES[type];
  return client.request(example as never);
}

function expectAnswered(type: ClientFrameType, got: ServerFrame): void {
  const spec: RequestSpec = REQUESTS[type];
  if (got.type === 'error') expect(requestErrors(type), `${type} refused ${got.code}`).toContain(got.code);
  else expect(spec.answer, `${type} answered ${got.type}`).toContain(got.type);
}

/** What a frame of `type` gets on a connection in `state`, per the table; undefined: handled (any answer). */
function stateError(type: ClientFrameType, state: 'connected' | 'greeted' | 'ready'): string | undefined {
  const needs = REQUESTS[type].state;
  if (needs === 'any' || needs === state) return undefined;
  if (needs === 'connected') return ErrorCode.BAD_FRAME;
  if (state === 'connected') return needs === 'greeted' ? ErrorCode.HELLO_REQUIRED : ErrorCode.NOT_AUTHENTICATED;
  return needs === 'ready' ? ErrorCode.NOT_AUTHENTICATED : ErrorCode.ALREADY_AUTHENTICATED;
}

describe('each request in each connection state', () => {
  it.each(CLIENT_FRAME_TYPES.map((t) => [t]))('%s before hello', async (type) => {
    const client = await TestClient.connect(hub.port);
    const got = await answer(client, type);
    await client.close();
    const refused = stateError(type, 'connected');
    if (refused) expect(got).toMatchObject({ type: 'error', code: refused, frameType: type });
    else expectAnswered(type, got);
  });

  it.each(CLIENT_FRAME_TYPES.map((t) => [t]))('%s after hello', async (type) => {
    const client = await TestClient.connect(hub.port);
    await client.hello();
    const got = await answer(client, type);
    await client.close();
    const refused = stateError(type, 'greeted');
    if (refused) expect(got).toMatchObject({ type: 'error', code: refused, frameType: type });
    else expectAnswered(type, got);
  });

  it.each(CLIENT_FRAME_TYPES.map((t) => [t]))('%s when ready', async (type) => {
    const got = await answer(alice.client, type);
    const refused = stateError(type, 'ready');
    if (refused) expect(got).toMatchObject({ type: 'error', code: refused, frameType: type });
    else expectAnswered(type, got);
  });
});
