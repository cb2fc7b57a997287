import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/protocol';
import { FsProbe } from './log/testSupport';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import type { TestClient } from './testing/TestClient';
import { pairLinkedDevice, pairNewUser, startTestHub } from './testing/testHub';

/**
 * A resend that arrives while its original is still being written
 * (PROTOCOL.md 7.3) is answered when the original's write settles: the
 * original's ack, marked duplicate, once it is durable, or STORAGE_FAILED
 * with it. Never an ack before the message is durable, never a second copy.
 */

const cleanups = cleanupsAfterEach();

async function setUp() {
  const probe = new FsProbe();
  // The failed write is logged as an error; here it is the point.
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const started = await startTestHub({ log: { fs: probe.fs }, logger: silent });
  const alice = await pairNewUser(started.hub, 'Alice');
  const phone = await pairLinkedDevice(started.hub, alice.client, 'Alice phone');
  const bob = await pairNewUser(started.hub, 'Bob');
  cleanups.push(started.cleanup);
  // Runs before the hub's clean-up, which waits for held writes.
  cleanups.push(() => probe.release());
  for (const d of [alice, phone, bob]) cleanups.push(() => d.client.close());
  return { probe, alice: alice.client, phone: phone.client, bob: bob.client };
}

/** Resolves once every frame sent before it on this connection has been handled (ping is answered at once). */
async function handled(client: TestClient): Promise<void> {
  await client.expect({ type: 'ping' }, 'pong');
}

const answerTo = (rid: string) => (f: ServerFrame) => f.rid === rid;

function sendFrame(rid: string, clientMsgId: string) {
  return { type: 'send', rid, conversationId: GENERAL, clientMsgId, text: 'written slowly' } as const;
}

describe('a resend while its original is still being written', () => {
  it('gets the same ack, marked duplicate, only once the original is durable; one message is stored', async () => {
    const { probe, alice, phone, bob } = await setUp();
    const clientMsgId = 'in-flight-0001';
    probe.holdWrites();
    alice.sendFrame(sendFrame('original', clientMsgId));
    await probe.writesStarted(1);
    // The same user resends from another device, and from the same connection.
    phone.sendFrame(sendFrame('from-phone', clientMsgId));
    alice.sendFrame(sendFrame('again', clientMsgId));
    await handled(phone);
    await handled(alice);
    expect([...alice.frames, ...phone.frames].filter((f) => f.type === 'ack' || f.type === 'error')).toEqual([]);

    probe.release();
    const original = await alice.next(answerTo('original'), 'ack of the original');
    const again = await alice.next(answerTo('again'), 'ack of the resend on the same connection');
    const fromPhone = await phone.next(answerTo('from-phone'), 'ack of the resend from the phone');
    expect(original).toMatchObject({ type: 'ack', clientMsgId, duplicate: false });
    if (original.type !== 'ack') throw new Error('unreachable');
    const same = { type: 'ack', clientMsgId, seq: original.seq, sentAt: original.sentAt, duplicate: true };
    expect(again).toMatchObject(same);
    expect(fromPhone).toMatchObject(same);

    const page = await bob.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.filter((m) => m.clientMsgId === clientMsgId)).toHaveLength(1);
    await bob.nextOf('message', (m) => m.message.clientMsgId === clientMsgId);
    await handled(bob);
    expect(bob.all('message').filter((m) => m.message.clientMsgId === clientMsgId)).toHaveLength(1);
  });

  it('gets STORAGE_FAILED with its original when the write fails; a later resend is then stored', async () => {
    const { probe, alice, phone } = await setUp();
    const clientMsgId = 'in-flight-0002';
    probe.failNext('write', 'ENOSPC', 'none');
    probe.holdWrites();
    alice.sendFrame(sendFrame('original', clientMsgId));
    await probe.writesStarted(1);
    phone.sendFrame(sendFrame('from-phone', clientMsgId));
    await handled(phone);
    probe.release();
    expect(await alice.next(answerTo('original'), 'answer to the original')).toMatchObject({
      type: 'error',
      code: 'STORAGE_FAILED',
    });
    expect(await phone.next(answerTo('from-phone'), 'answer to the resend')).toMatchObject({
      type: 'error',
      code: 'STORAGE_FAILED',
    });
    const retry = await phone.expect(sendFrame('retry', clientMsgId), 'ack');
    expect(retry).toMatchObject({ clientMsgId, seq: 1, duplicate: false });
  });
});
