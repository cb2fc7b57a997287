import { describe, expect, it } from 'vitest';
import type { Attachment } from '../protocol';
import { MemoryStorage } from './MemoryStorage';
import { flushMicrotasks, makeClient, startPaired } from './testing/clientHarness';
import { GENERAL, conversation, ready } from './testing/fixtures';

const PHOTO: Attachment = {
  uploadId: 'Xk3vPq9LmN2rT8wYz4Ab1c',
  sha256: 'c'.repeat(64),
  name: 'menu.jpg',
  size: 4096,
  type: 'image/jpeg',
  image: { width: 4, height: 3 },
};

describe('RoostClient: messages with files', () => {
  it('sends uploaded files with the message, keeps them in the stored outbox, shows them once acked', async () => {
    const storage = new MemoryStorage();
    const h = makeClient({}, storage);
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const clientMsgId = await h.client.send(GENERAL, '', [PHOTO]);
    expect((await storage.loadOutbox())[0]?.attachments).toEqual([PHOTO]);
    const send = socket.last('send');
    expect(send).toMatchObject({ clientMsgId, text: '', attachments: [PHOTO] });

    socket.deliver({
      type: 'ack',
      rid: send.rid,
      conversationId: GENERAL,
      clientMsgId,
      seq: 1,
      sentAt: 5,
      duplicate: false,
    });
    await flushMicrotasks();
    const { uploadId: _own, ...wire } = PHOTO;
    expect(h.state().conversations.general!.timeline.messages[0]).toMatchObject({ seq: 1, attachments: [wire] });
    expect(h.state().conversations.general!.timeline.messages[0]?.attachments?.[0]).not.toHaveProperty('uploadId');
  });

  it('refuses a blank message without files, and files the hub would refuse, before queueing anything', async () => {
    const h = makeClient();
    await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    await expect(h.client.send(GENERAL, '  ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.client.send(GENERAL, 'x', [{ ...PHOTO, sha256: 'not hex' }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      h.client.send(
        GENERAL,
        'x',
        Array.from({ length: 11 }, () => PHOTO),
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(h.state().pendingCount).toBe(0);
  });

  it('a message sent again with the id its caller chose is queued once and sent once', async () => {
    const storage = new MemoryStorage();
    const h = makeClient({}, storage);
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    const id = 'files-0123456789';
    expect(await h.client.send(GENERAL, '', [PHOTO], { clientMsgId: id })).toBe(id);
    expect(await h.client.send(GENERAL, '', [PHOTO], { clientMsgId: id })).toBe(id);
    await flushMicrotasks();
    expect(h.state().pendingCount).toBe(1);
    expect((await storage.loadOutbox()).map((e) => e.clientMsgId)).toEqual([id]);
    expect(socket.sentOf('send').map((f) => f.clientMsgId)).toEqual([id]);
    await expect(h.client.send(GENERAL, 'x', undefined, { clientMsgId: 'no' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('a deletion takes the files away with the text', async () => {
    const h = makeClient();
    const { uploadId: _own, ...wire } = PHOTO;
    const base = { conversationId: GENERAL, senderUserId: 'bob', senderDeviceId: 'bobphone', sentAt: 1 };
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    socket.deliver({
      type: 'message',
      message: { ...base, seq: 1, clientMsgId: 'm-00000001', text: 'hi', attachments: [wire] },
    });
    socket.deliver({ type: 'message', message: { ...base, seq: 2, clientMsgId: 'm-00000002', text: '', deletes: 1 } });
    await flushMicrotasks();
    const first = h.state().conversations.general!.timeline.messages[0];
    expect(first).toMatchObject({ seq: 1, text: '', deleted: true });
    expect(first?.attachments).toBeUndefined();
  });
});
