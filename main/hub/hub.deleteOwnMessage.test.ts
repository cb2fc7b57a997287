import { describe, expect, it } from 'vitest';
import { ErrorCode, type MessageWire, type ServerFrame } from '../../shared/protocol';
import type { Hub, HubOptions } from './Hub';
import { nodeLogFs, type LogFs } from './log/logFs';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { filesContaining } from './testing/filesContaining';
import type { TestClient } from './testing/TestClient';
import { pairLinkedDevice, pairNewUser, reconnect, startTestHub, type Device } from './testing/testHub';

/**
 * Issue 15: a person deletes their own message for everyone (`deleteMessage`, PROTOCOL.md 7.5), on a real hub
 * with real clients: every device applies it, live or on catch-up, and the text leaves the hub's disk.
 */

const cleanups = cleanupsAfterEach();
const SECRET = 'my door code is 4711, do not share';

async function hub(options: Partial<HubOptions> = {}): Promise<{ hub: Hub; dataDir: string }> {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started;
}

function track(device: Device): Device {
  cleanups.push(() => device.client.close());
  return device;
}

let counter = 0;
async function send(from: Device, text: string, conversationId = GENERAL): Promise<number> {
  const ack = await from.client.expect(
    { type: 'send', conversationId, clientMsgId: `delete-test-${counter++}`, text },
    'ack',
  );
  return ack.seq;
}

function deleteMessage(from: Device, seq: number, conversationId = GENERAL): Promise<ServerFrame> {
  return from.client.request({ type: 'deleteMessage', conversationId, seq });
}

/** Every frame the hub wrote to this connection before now has arrived (it answers in order). */
async function settled(client: TestClient): Promise<void> {
  await client.expect({ type: 'ping' }, 'pong');
}

async function page(device: Device, cursor = 0, conversationId = GENERAL): Promise<MessageWire[]> {
  const answer = await device.client.expect(
    { type: 'fetchMessages', conversationId, direction: 'forward', cursor },
    'messages',
  );
  return answer.messages;
}

const deletionsOf = (client: TestClient) => client.all('message').filter((f) => f.message.deletes !== undefined);

describe('deleting an own message', () => {
  it('reaches every device of every member, an offline one on catch-up, and erases the text on the hub', async () => {
    const { hub: h, dataDir } = await hub();
    const annLaptop = track(await pairNewUser(h, 'Ann'));
    const annPhone = track(await pairLinkedDevice(h, annLaptop.client, "Ann's phone"));
    const bob = track(await pairNewUser(h, 'Bob'));
    const bobTablet = await pairLinkedDevice(h, bob.client, "Bob's tablet");
    await send(bob, 'hi Ann');
    const seq = await send(annLaptop, SECRET);
    await bobTablet.client.nextOf('message', (f) => f.message.seq === seq);
    // The tablet goes offline holding the text.
    await bobTablet.client.close();
    expect(await filesContaining(dataDir, SECRET)).not.toEqual([]);

    // Sent from the laptop, deleted from the phone: any device of its sender may.
    const answer = await deleteMessage(annPhone, seq);
    expect(answer).toMatchObject({ type: 'ok' });
    // The requester has the deletion before its `ok`, as every other connection of every member does.
    const deletion = annPhone.client.all('message').find((f) => f.message.deletes === seq)?.message;
    expect(deletion).toMatchObject({
      seq: seq + 1,
      deletes: seq,
      text: '',
      senderUserId: annPhone.credentials.userId,
      senderDeviceId: annPhone.credentials.deviceId,
    });
    for (const device of [annLaptop, bob]) {
      const pushed = await device.client.nextOf('message', (f) => f.message.deletes === seq);
      expect(pushed.message).toEqual(deletion);
    }
    const [deleted, record] = await page(bob, seq - 1);
    expect(deleted).toMatchObject({ seq, text: '', deleted: true, senderUserId: annLaptop.credentials.userId });
    expect(record).toEqual(deletion);

    // The tablet catches up from where it was: the deletion is the next entry, the message comes deleted.
    const tablet = track(await reconnect(h.port, bobTablet.credentials));
    expect(tablet.ready.conversations.find((c) => c.id === GENERAL)?.lastSeq).toBe(seq + 1);
    expect(await page(tablet, seq)).toEqual([deletion]);
    expect((await page(tablet))[seq - 1]).toMatchObject({ seq, text: '', deleted: true });

    await h.flush();
    expect(await filesContaining(dataDir, SECRET)).toEqual([]);
    expect(await filesContaining(dataDir, 'door code')).toEqual([]);
  });

  it("refuses someone else's message (FORBIDDEN), and nothing changes", async () => {
    const { hub: h } = await hub();
    const ann = track(await pairNewUser(h, 'Ann'));
    const bob = track(await pairNewUser(h, 'Bob'));
    const seq = await send(bob, SECRET);
    await ann.client.nextOf('message', (f) => f.message.seq === seq);

    expect(await deleteMessage(ann, seq)).toMatchObject({ type: 'error', code: ErrorCode.FORBIDDEN });
    await settled(bob.client);
    expect(deletionsOf(ann.client)).toEqual([]);
    expect(deletionsOf(bob.client)).toEqual([]);
    expect(await page(ann)).toEqual([expect.objectContaining({ seq, text: SECRET })]);
  });

  it('NOT_A_MEMBER in a room of others; NOT_FOUND for no such conversation or message, or a deletion', async () => {
    const { hub: h } = await hub();
    const ann = track(await pairNewUser(h, 'Ann'));
    const bob = track(await pairNewUser(h, 'Bob'));
    const carol = track(await pairNewUser(h, 'Carol'));
    const room = await bob.client.expect(
      { type: 'createGroup', name: 'Bob and Carol', memberUserIds: [carol.credentials.userId] },
      'conversation',
    );
    const inRoom = await send(bob, 'just us', room.conversation.id);
    const refused = (frame: ServerFrame) => (frame.type === 'error' ? frame.code : frame.type);
    expect(refused(await deleteMessage(ann, inRoom, room.conversation.id))).toBe(ErrorCode.NOT_A_MEMBER);

    const seq = await send(ann, SECRET);
    expect(refused(await deleteMessage(ann, seq, 'no-such-room'))).toBe(ErrorCode.NOT_FOUND);
    expect(refused(await deleteMessage(ann, seq + 1))).toBe(ErrorCode.NOT_FOUND);
    expect(refused(await deleteMessage(ann, 0))).toBe(ErrorCode.NOT_FOUND);
    expect(refused(await deleteMessage(ann, seq))).toBe('ok');
    // The deletion has its own seq, and is sent by Ann: still not hers to delete.
    expect(refused(await deleteMessage(ann, seq + 1))).toBe(ErrorCode.NOT_FOUND);
    // Nor is a deletion by the hub's owner.
    const bobs = await send(bob, 'spam');
    await h.operator.deleteMessage(GENERAL, bobs, 'cli');
    expect(refused(await deleteMessage(bob, bobs + 1))).toBe(ErrorCode.NOT_FOUND);
    // Only the owner's deletion is in the audit log: it records what the owner does.
    expect((await h.operator.readAudit(10)).map((e) => [e.action, e.result])).toEqual([['deleteMessage', 'ok']]);
  });

  it('deleting it again answers ok and records nothing new; without a rid no ok comes', async () => {
    const { hub: h } = await hub();
    const ann = track(await pairNewUser(h, 'Ann'));
    const bob = track(await pairNewUser(h, 'Bob'));
    const seq = await send(ann, SECRET);
    expect(await deleteMessage(ann, seq)).toMatchObject({ type: 'ok' });
    expect(await deleteMessage(ann, seq)).toMatchObject({ type: 'ok' });
    ann.client.sendFrame({ type: 'deleteMessage', conversationId: GENERAL, seq });
    await settled(ann.client);
    await settled(bob.client);
    expect(ann.client.all('ok')).toHaveLength(2);
    expect(deletionsOf(ann.client)).toHaveLength(1);
    expect(deletionsOf(bob.client)).toHaveLength(1);
    expect((await page(bob)).map((m) => m.seq)).toEqual([seq, seq + 1]);
  });

  it('a person whose messages fill their storage budget can still delete them', async () => {
    const { hub: h } = await hub({ log: { maxBytesPerUser: 2_000 } });
    const ann = track(await pairNewUser(h, 'Ann'));
    const seq = await send(ann, SECRET);
    // Long messages until one is refused, then the shortest: what is left is less than any line, a deletion's too.
    for (const text of ['x'.repeat(100), 'x']) {
      let refused: ServerFrame | undefined;
      for (let i = 0; i < 50 && !refused; i++) {
        const answer = await ann.client.request({
          type: 'send',
          conversationId: GENERAL,
          clientMsgId: `delete-test-fill-${text.length}-${i}`,
          text,
        });
        if (answer.type === 'error') refused = answer;
      }
      expect(refused).toMatchObject({ code: ErrorCode.STORAGE_QUOTA_EXCEEDED });
    }

    expect(await deleteMessage(ann, seq)).toMatchObject({ type: 'ok' });
    expect((await page(ann))[0]).toMatchObject({ seq, text: '', deleted: true });
  });

  it('a full disk: a deletion not stored is nowhere; an erase cut short is finished by deleting again', async () => {
    const disk = failingWrites();
    const told: string[] = [];
    const logger = { info: () => {}, warn: () => {}, error: (message: string) => void told.push(message) };
    const { hub: h, dataDir } = await hub({ log: { fs: disk.fs }, logger });
    const ann = track(await pairNewUser(h, 'Ann'));
    const bob = track(await pairNewUser(h, 'Bob'));
    const seq = await send(ann, SECRET);

    disk.failWrite(1);
    expect(await deleteMessage(ann, seq)).toMatchObject({ type: 'error', code: ErrorCode.STORAGE_FAILED });
    await settled(bob.client);
    expect(deletionsOf(bob.client)).toEqual([]);
    expect(await page(bob)).toEqual([expect.objectContaining({ seq, text: SECRET })]);

    // Stored and pushed, then the overwrite of the text fails: the device hears so, and the text is still there.
    disk.failWrite(3);
    const refused = await deleteMessage(ann, seq);
    expect(refused).toMatchObject({ type: 'error', code: ErrorCode.STORAGE_FAILED });
    expect(refused.type === 'error' && refused.message).not.toMatch(/ENOSPC|jsonl|\//);
    await bob.client.nextOf('message', (f) => f.message.deletes === seq);
    expect(await filesContaining(dataDir, SECRET)).not.toEqual([]);
    // The owner is told, in the hub's log, what the device is not.
    expect(told).toEqual(['could not store a deletion', `could not erase message ${seq} of general from disk`]);

    expect(await deleteMessage(ann, seq)).toMatchObject({ type: 'ok' });
    expect(await filesContaining(dataDir, SECRET)).toEqual([]);
    await settled(bob.client);
    expect(deletionsOf(bob.client)).toHaveLength(1);
  });
});

/** The log's disk, whose `n`th durable write from the call to failWrite(n) fails as a full disk does. */
function failingWrites(): { fs: Partial<LogFs>; failWrite(n: number): void } {
  let countdown = 0;
  return {
    fs: {
      writeDurable: async (handle, data, position) => {
        if (countdown > 0 && --countdown === 0)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await nodeLogFs.writeDurable(handle, data, position);
      },
    },
    failWrite: (n) => {
      countdown = n;
    },
  };
}
