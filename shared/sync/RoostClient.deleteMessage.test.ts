import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol';
import { ClientErrorCode, RoostError } from './errors';
import { flushMicrotasks, makeClient, startPaired } from './testing/clientHarness';
import { ALICE, ALICE_LAPTOP, BOB, GENERAL, conversation, msg, ready } from './testing/fixtures';

/** Deleting an own message for everyone (PROTOCOL.md 7.5) from the sync client, on a fake hub. */

const own = (seq: number) => msg(seq, { senderUserId: ALICE, senderDeviceId: ALICE_LAPTOP, text: 'oops, wrong room' });
const deletion = (seq: number, deletes: number) =>
  msg(seq, { senderUserId: ALICE, senderDeviceId: ALICE_LAPTOP, text: '', deletes });

async function withHistory() {
  const h = makeClient();
  const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
  socket.deliver({ type: 'message', message: msg(1) });
  socket.deliver({ type: 'message', message: own(2) });
  await flushMicrotasks();
  return { h, socket };
}

describe('RoostClient.deleteMessage', () => {
  it('asks the hub, and resolves on `ok` with the pushed deletion applied in memory and in storage', async () => {
    const { h, socket } = await withHistory();
    let done = false;
    const deleting = h.client.deleteMessage(GENERAL, 2).then(() => (done = true));
    const request = socket.last('deleteMessage');
    expect(request).toMatchObject({ conversationId: GENERAL, seq: 2 });
    expect(request.rid).toBeDefined();

    // The hub pushes the deletion to this connection too, then answers.
    socket.deliver({ type: 'message', message: deletion(3, 2) });
    await flushMicrotasks();
    expect(done).toBe(false);
    socket.deliver({ type: 'ok', rid: request.rid });
    await deleting;
    expect(done).toBe(true);
    const general = h.state().conversations[GENERAL]!;
    expect(general.timeline.messages.map((m) => [m.seq, m.text, m.deleted ?? false])).toEqual([
      [1, 'message 1', false],
      [2, '', true],
      [3, '', false],
    ]);
    await h.client.stop();
    expect((await h.storage.loadMessages(GENERAL, 3, 1))[0]).toMatchObject({ seq: 2, text: '', deleted: true });
  });

  it("rejects with the hub's code, and nothing changes", async () => {
    const { h, socket } = await withHistory();
    const deleting = h.client.deleteMessage(GENERAL, 1);
    const { rid } = socket.last('deleteMessage');
    socket.deliver({ type: 'error', rid, code: ErrorCode.FORBIDDEN, message: 'not yours', frameType: 'deleteMessage' });
    await expect(deleting).rejects.toMatchObject({ name: 'RoostError', code: ErrorCode.FORBIDDEN });
    expect(h.state().conversations[GENERAL]!.timeline.messages.map((m) => m.text)).toEqual([
      'message 1',
      'oops, wrong room',
    ]);
  });

  it('rejects with NOT_CONNECTED while offline, sending nothing', async () => {
    const { h, socket } = await withHistory();
    socket.end(1006);
    const refused = await h.client.deleteMessage(GENERAL, 2).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RoostError);
    expect(refused).toMatchObject({ code: ClientErrorCode.NOT_CONNECTED });
    expect(socket.sentOf('deleteMessage')).toEqual([]);
  });

  it("another member's deletion of their message does not end their typing indicator; a message does", async () => {
    const { h, socket } = await withHistory();
    socket.deliver({ type: 'typing', conversationId: GENERAL, userId: BOB, deviceId: 'devB1' });
    socket.deliver({ type: 'message', message: msg(3, { text: '', deletes: 1 }) });
    const general = () => h.state().conversations[GENERAL]!;
    expect(general().timeline.messages[0]).toMatchObject({ seq: 1, text: '', deleted: true });
    expect(general().typing.map((t) => t.userId)).toEqual([BOB]);
    expect(general().unreadCount).toBe(0);
    socket.deliver({ type: 'message', message: msg(4) });
    expect(general().typing).toEqual([]);
  });
});
