import { describe, expect, test } from 'vitest';
import type { Attachment } from '../../shared/protocol';
import { FileTransferError } from './fileErrors';
import { fileOutboxName, openFileOutbox } from './fileOutboxDb';
import { newFileOutboxEntry, type FileOutboxEntry } from './fileOutboxEntry';
import type { FileOutboxStore } from './memoryFileOutbox';
import { OutgoingFiles, type PendingMessage } from './OutgoingFiles';

/**
 * Messages with files across reloads, on Chromium's real IndexedDB: each "page" is a new OutgoingFiles on the
 * same database, as after a reload. Uploads and the sync client are stand-ins the test drives by hand.
 */

type Upload = { blob: Blob; resolve: (id: string) => void; reject: (err: Error) => void };
type Sent = { conversationId: string; text: string; attachments: Attachment[]; clientMsgId: string };

let databases = 0;
const uniqueName = () => fileOutboxName(`hub-${Date.now()}-${++databases}`, 'device-1');
const uploadId = (n: number) => `upload-${n}`.padEnd(22, 'x');
const file = (name: string, text: string) => new File([text], name, { type: 'text/plain' });

/** One page: its OutgoingFiles on the database `name`, and what it asked of the hub and the sync client. */
function page(name: string, pending = new Map<string, PendingMessage>()) {
  const uploads: Upload[] = [];
  const hashed: string[] = [];
  const sent: Sent[] = [];
  const discarded: string[] = [];
  const store: FileOutboxStore = openFileOutbox(name);
  const outgoing = new OutgoingFiles({
    store,
    transfer: {
      describe: async (blob) => {
        hashed.push(await blob.text());
        return { sha256: 'a'.repeat(64) };
      },
      upload: (blob, _sha256, { signal }) =>
        new Promise<string>((resolve, reject) => {
          uploads.push({ blob, resolve, reject });
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
    },
    send: (conversationId, text, attachments, clientMsgId) => {
      sent.push({ conversationId, text, attachments, clientMsgId });
      pending.set(clientMsgId, { status: 'queued' });
      return Promise.resolve(clientMsgId);
    },
    pendingOf: (id) => pending.get(id),
    discardPending: (id) => void pending.delete(id),
    discard: (id) => {
      discarded.push(id);
      return Promise.resolve();
    },
    newId: () => `message-${Date.now()}-${++databases}`,
    now: () => performance.now(),
    retryDelayMs: 0,
  });
  const phase = () => outgoing.getSnapshot()[0]?.phase;
  return { outgoing, store, uploads, hashed, sent, discarded, pending, phase };
}

async function storedEntry(store: FileOutboxStore): Promise<FileOutboxEntry | undefined> {
  return (await store.list())[0];
}

describe('OutgoingFiles across reloads', () => {
  test('attached offline: kept at once, waits for the hub, then goes once and is forgotten when acked', async () => {
    const name = uniqueName();
    const a = page(name);
    const id = a.outgoing.start('general', 'From the train', [file('a.txt', 'alpha')]);

    await expect.poll(() => a.phase()).toBe('waiting');
    const kept = await storedEntry(a.store);
    expect(kept).toMatchObject({ clientMsgId: id, text: 'From the train', status: 'pending' });
    expect(await kept!.files[0]!.blob.text()).toBe('alpha');
    expect(a.uploads).toHaveLength(0);

    a.outgoing.setReady(true);
    await expect.poll(() => a.uploads.length).toBe(1);
    a.uploads[0]!.resolve(uploadId(1));
    await expect.poll(() => a.sent.length).toBe(1);
    expect(a.sent[0]).toMatchObject({ clientMsgId: id, text: 'From the train' });
    expect(a.sent[0]!.attachments).toEqual([
      { uploadId: uploadId(1), sha256: 'a'.repeat(64), name: 'a.txt', size: 5, type: 'text/plain' },
    ]);
    // Handed over: no longer shown here (the timeline shows it pending), kept until the hub has it.
    expect(a.outgoing.getSnapshot()).toEqual([]);
    await expect.poll(async () => (await storedEntry(a.store))?.status).toBe('sent');

    a.pending.delete(id);
    a.outgoing.outboxChanged();
    await expect.poll(() => a.store.list()).toEqual([]);
  });

  test('a reload mid-upload goes on from the file it was at, without hashing or uploading again', async () => {
    const name = uniqueName();
    const first = page(name);
    first.outgoing.setReady(true);
    const id = first.outgoing.start('general', 'Two files', [file('a.txt', 'alpha'), file('b.txt', 'bravo')]);
    await expect.poll(() => first.uploads.length).toBe(1);
    first.uploads[0]!.resolve(uploadId(1));
    await expect.poll(() => first.uploads.length).toBe(2);
    await expect.poll(async () => (await storedEntry(first.store))?.files[0]?.uploadId).toBe(uploadId(1));

    // The page reloads while the second file is on its way.
    const second = page(name);
    await second.outgoing.restore();
    expect(second.outgoing.getSnapshot().map((b) => b.id)).toEqual([id]);
    await expect.poll(() => second.phase()).toBe('waiting');
    second.outgoing.setReady(true);
    await expect.poll(() => second.uploads.length).toBe(1);
    expect(await second.uploads[0]!.blob.text()).toBe('bravo');
    expect(second.hashed).toEqual([]);
    second.uploads[0]!.resolve(uploadId(2));

    await expect.poll(() => second.sent.length).toBe(1);
    expect(second.sent[0]!.clientMsgId).toBe(id);
    expect(second.sent[0]!.attachments.map((f) => f.uploadId)).toEqual([uploadId(1), uploadId(2)]);
  });

  test('uploaded, not handed over: a reload sends it with its clientMsgId; handed over, it does not', async () => {
    const name = uniqueName();
    const store = openFileOutbox(name);
    const uploaded = (clientMsgId: string, status: FileOutboxEntry['status']): FileOutboxEntry => {
      const entry = newFileOutboxEntry({
        clientMsgId,
        conversationId: 'general',
        text: clientMsgId,
        createdAt: 1,
        files: [{ blob: new Blob(['x']), name: 'x.txt', type: 'text/plain' }],
      });
      return { ...entry, status, files: [{ ...entry.files[0]!, sha256: 'b'.repeat(64), uploadId: uploadId(9) }] };
    };
    await store.add(uploaded('message-uploaded', 'pending'));
    await store.add(uploaded('message-queued', 'sent'));
    await store.add(uploaded('message-acked', 'sent'));

    const pending = new Map<string, PendingMessage>([['message-queued', { status: 'sending' }]]);
    const b = page(name, pending);
    b.outgoing.setReady(true);
    await b.outgoing.restore();
    await expect.poll(() => b.sent.map((s) => s.clientMsgId)).toEqual(['message-uploaded']);
    expect(b.uploads).toHaveLength(0);
    // Acked before the reload: forgotten. Still in the sync client's outbox: kept until acked.
    await expect
      .poll(async () => (await b.store.list()).map((e) => `${e.clientMsgId} ${e.status}`).sort())
      .toEqual(['message-queued sent', 'message-uploaded sent']);
  });

  test('refused with FILE_NOT_UPLOADED (the hub dropped the upload): uploaded again from the kept bytes', async () => {
    const name = uniqueName();
    const a = page(name);
    a.outgoing.setReady(true);
    const id = a.outgoing.start('general', 'Late', [file('a.txt', 'alpha')]);
    await expect.poll(() => a.uploads.length).toBe(1);
    a.uploads[0]!.resolve(uploadId(1));
    await expect.poll(() => a.sent.length).toBe(1);

    // A day offline later, the hub refuses the send: its upload is gone.
    const b = page(name, new Map([[id, { status: 'failed', lastError: 'FILE_NOT_UPLOADED' }]]));
    b.outgoing.setReady(true);
    await b.outgoing.restore();
    await expect.poll(() => b.uploads.length).toBe(1);
    expect(b.pending.has(id)).toBe(false);
    expect(await b.uploads[0]!.blob.text()).toBe('alpha');
    b.uploads[0]!.resolve(uploadId(2));
    await expect.poll(() => b.sent.length).toBe(1);
    expect(b.sent[0]).toMatchObject({ clientMsgId: id });
    expect(b.sent[0]!.attachments[0]!.uploadId).toBe(uploadId(2));
  });

  test('a dropped connection mid-upload waits for the hub instead of failing, then uploads again', async () => {
    const a = page(uniqueName());
    a.outgoing.setReady(true);
    a.outgoing.start('general', '', [file('a.txt', 'alpha')]);
    await expect.poll(() => a.uploads.length).toBe(1);
    a.outgoing.setReady(false);
    await expect.poll(() => a.phase()).toBe('waiting');
    a.uploads[0]!.reject(new FileTransferError('NETWORK', 'The hub could not be reached.'));
    await expect.poll(async () => (await storedEntry(a.store))?.status).toBe('pending');
    expect(a.phase()).toBe('waiting');
    expect(a.uploads).toHaveLength(1);

    a.outgoing.setReady(true);
    await expect.poll(() => a.uploads.length).toBe(2);
    a.uploads[1]!.reject(new FileTransferError('FILE_TOO_LARGE', 'The file is larger than the hub accepts.', 413));
    await expect.poll(() => a.phase()).toBe('failed');
    await expect.poll(async () => (await storedEntry(a.store))?.status).toBe('failed');
  });

  test('Cancel forgets the message, here and after a reload, and deletes its uploads', async () => {
    const name = uniqueName();
    const a = page(name);
    a.outgoing.setReady(true);
    const id = a.outgoing.start('general', 'Never mind', [file('a.txt', 'alpha'), file('b.txt', 'bravo')]);
    await expect.poll(() => a.uploads.length).toBe(1);
    a.uploads[0]!.resolve(uploadId(1));
    await expect.poll(() => a.uploads.length).toBe(2);
    a.outgoing.cancel(id);
    expect(a.outgoing.getSnapshot()).toEqual([]);
    expect(a.discarded).toEqual([uploadId(1)]);
    await expect.poll(() => a.store.list()).toEqual([]);
    expect(a.sent).toEqual([]);
  });
});
