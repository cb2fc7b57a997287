import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileDownloadPath, thumbnailDownloadPath, type Attachment, type ServerFrameOf } from '../../shared/protocol';
import { send } from './files/fileServerTestSupport';
import { patternBytes, sha256Hex } from './files/fileTestSupport';
import { cleanupsAfterEach } from './testing/cleanups';
import { pairLinkedDevice, pairNewUser, startTestHub, type Device } from './testing/testHub';
import { TestClient } from './testing/TestClient';
import { authFrame } from './testing/devicePairing';
import { fileSessionOf, uploadWhole } from './files/hubFileTestSupport';

const cleanups = cleanupsAfterEach();
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function hubWithFiles(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  stop = started.cleanup;
  return started;
}

function download(port: number, session: string, where: string) {
  return send(port, { method: 'GET', path: where, headers: { Authorization: `Roost-Session ${session}` } });
}

async function sendWithFiles(device: Device, attachments: Attachment[], text = 'the report', clientMsgId?: string) {
  const id = clientMsgId ?? `m-${Math.random().toString(36).slice(2, 12)}`;
  return device.client.request({ type: 'send', conversationId: 'general', clientMsgId: id, text, attachments });
}

function blobCount(dataDir: string): Promise<number> {
  return readdir(path.join(dataDir, 'files', 'blobs'), { recursive: true, withFileTypes: true }).then(
    (entries) => entries.filter((e) => e.isFile()).length,
  );
}

describe('files through a real hub', () => {
  it('an uploaded file reaches every device of every member with its message, downloads byte for byte', async () => {
    const { hub } = await hubWithFiles();
    const alice = await pairNewUser(hub, 'Alice');
    const bob = await pairNewUser(hub, 'Bob');
    const alicePhone = await pairLinkedDevice(hub, alice.client, 'phone');
    const bytes = patternBytes(300_000);
    const attachment = await uploadOf(hub.port, await fileSessionOf(hub.port, alice.client), bytes);

    const pushedToBob = bob.client.next((f) => f.type === 'message', 'the message');
    const pushedToPhone = alicePhone.client.next((f) => f.type === 'message', 'the message');
    const ack = await sendWithFiles(alice, [attachment]);
    expect(ack.type).toBe('ack');
    const { uploadId: _own, ...wire } = attachment;
    for (const pushed of [await pushedToBob, await pushedToPhone]) {
      const { message } = pushed as ServerFrameOf<'message'>;
      expect(message.attachments).toEqual([wire]);
    }

    const where = fileDownloadPath('general', (ack as ServerFrameOf<'ack'>).seq, 0);
    const got = await download(hub.port, await fileSessionOf(hub.port, bob.client), where);
    expect(got.status).toBe(200);
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="report.pdf"/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(sha256Hex(got.body)).toBe(attachment.sha256);

    // Catch-up: a page carries the files as the push did.
    const page = await bob.client.expect(
      { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.at(-1)?.attachments).toEqual([wire]);
  });

  it('knowing a hash is not having the bytes: another user cannot name the upload, or claim its hash', async () => {
    const { hub } = await hubWithFiles();
    const alice = await pairNewUser(hub, 'Alice');
    const mallory = await pairNewUser(hub, 'Mallory');
    const secret = patternBytes(5000, 3);
    const alices = await uploadOf(hub.port, await fileSessionOf(hub.port, alice.client), secret);

    const named = await sendWithFiles(mallory, [alices]);
    expect(named).toMatchObject({ type: 'error', code: 'FILE_NOT_UPLOADED' });
    const own = await uploadOf(hub.port, await fileSessionOf(hub.port, mallory.client), patternBytes(5000, 4));
    const claimed = await sendWithFiles(mallory, [{ ...own, sha256: alices.sha256 }]);
    expect(claimed).toMatchObject({ type: 'error', code: 'FILE_HASH_MISMATCH' });
    // Nothing was stored for either refusal.
    const page = await mallory.client.expect(
      { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages).toEqual([]);
  });

  it('only members download, and a removed device is refused at once', async () => {
    const { hub } = await hubWithFiles();
    const alice = await pairNewUser(hub, 'Alice');
    const bob = await pairNewUser(hub, 'Bob');
    const carol = await pairNewUser(hub, 'Carol');
    const direct = await alice.client.expect({ type: 'openDirect', userId: bob.credentials.userId }, 'conversation');
    const attachment = await uploadOf(hub.port, await fileSessionOf(hub.port, alice.client), patternBytes(1000));
    const ack = await alice.client.request({
      type: 'send',
      conversationId: direct.conversation.id,
      clientMsgId: 'm-direct-0001',
      text: '',
      attachments: [attachment],
    });
    const where = fileDownloadPath(direct.conversation.id, (ack as ServerFrameOf<'ack'>).seq, 0);
    const bobSession = await fileSessionOf(hub.port, bob.client);
    expect((await download(hub.port, bobSession, where)).status).toBe(200);
    expect((await download(hub.port, await fileSessionOf(hub.port, carol.client), where)).status).toBe(404);
    expect((await download(hub.port, bobSession, `${where.slice(0, -1)}1`)).status).toBe(404);

    expect(await hub.removeDevice(bob.credentials.deviceId)).toBe(true);
    const refused = await download(hub.port, bobSession, where);
    expect(refused.status).toBe(401);
  });

  it('a deleted message takes its file with it: no download, and the bytes go after the grace period', async () => {
    const { hub, dataDir } = await hubWithFiles({ files: { graceMs: 0 } });
    const alice = await pairNewUser(hub, 'Alice');
    const session = await fileSessionOf(hub.port, alice.client);
    const bytes = patternBytes(20_000, 9);
    const first = await uploadOf(hub.port, session, bytes);
    // The same bytes uploaded again, and sent in a second message: stored once.
    const second = await uploadOf(hub.port, session, bytes);
    const ack1 = (await sendWithFiles(alice, [first])) as ServerFrameOf<'ack'>;
    const ack2 = (await sendWithFiles(alice, [second])) as ServerFrameOf<'ack'>;
    expect(await blobCount(dataDir)).toBe(1);

    await alice.client.expect({ type: 'deleteMessage', rid: 'd1', conversationId: 'general', seq: ack1.seq }, 'ok');
    expect((await download(hub.port, session, fileDownloadPath('general', ack1.seq, 0))).status).toBe(404);
    expect((await download(hub.port, session, fileDownloadPath('general', ack2.seq, 0))).status).toBe(200);
    await alice.client.expect({ type: 'deleteMessage', rid: 'd2', conversationId: 'general', seq: ack2.seq }, 'ok');

    // The sweep runs at start (and every minute): after a restart, nothing references the content.
    await hub.stop();
    const again = await startTestHub({ dataDir, files: { graceMs: 0 } });
    stop = again.cleanup;
    expect(await blobCount(dataDir)).toBe(0);
  });

  it("an image's thumbnail is an upload too: served inline, without upload id, freed with its message", async () => {
    const { hub, dataDir } = await hubWithFiles({ files: { graceMs: 0 } });
    const alice = await pairNewUser(hub, 'Alice');
    const bob = await pairNewUser(hub, 'Bob');
    const session = await fileSessionOf(hub.port, alice.client);
    const png = (n: number, seed: number) =>
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), patternBytes(n, seed)]);
    const image = { ...(await uploadOf(hub.port, session, png(50_000, 1), 'photo.png')), type: 'image/png' };
    const small = await uploadOf(hub.port, session, png(3_000, 2));
    const thumbnail = {
      uploadId: small.uploadId,
      sha256: small.sha256,
      size: small.size,
      type: 'image/png' as const,
      width: 48,
      height: 32,
    };
    const ack = (await sendWithFiles(alice, [
      { ...image, image: { width: 480, height: 320 }, thumbnail },
    ])) as ServerFrameOf<'ack'>;
    expect(ack.type).toBe('ack');
    const page = await bob.client.expect(
      { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: 0 },
      'messages',
    );
    const { uploadId: _thumbnailUpload, ...thumbnailWire } = thumbnail;
    expect(page.messages.at(-1)?.attachments?.[0]?.thumbnail).toEqual(thumbnailWire);

    const bobSession = await fileSessionOf(hub.port, bob.client);
    const got = await download(hub.port, bobSession, thumbnailDownloadPath('general', ack.seq, 0));
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['content-disposition']).toBe('inline');
    expect(sha256Hex(got.body)).toBe(thumbnail.sha256);
    // A message whose file has no thumbnail has none to download.
    const plain = (await sendWithFiles(alice, [
      await uploadOf(hub.port, session, patternBytes(10)),
    ])) as ServerFrameOf<'ack'>;
    expect((await download(hub.port, bobSession, thumbnailDownloadPath('general', plain.seq, 0))).status).toBe(404);

    // Someone else's upload cannot be a thumbnail either.
    const bobs = await uploadOf(hub.port, bobSession, png(100, 3));
    const stolen = await sendWithFiles(alice, [
      { ...image, thumbnail: { ...thumbnail, uploadId: bobs.uploadId, sha256: bobs.sha256, size: bobs.size } },
    ]);
    expect(stolen).toMatchObject({ type: 'error', code: 'FILE_NOT_UPLOADED' });

    for (const seq of [ack.seq, plain.seq])
      await alice.client.expect({ type: 'deleteMessage', rid: `d${seq}`, conversationId: 'general', seq }, 'ok');
    await bob.client.close();
    await hub.stop();
    const again = await startTestHub({ dataDir, files: { graceMs: 0 } });
    stop = again.cleanup;
    // Only Bob's upload, named by no message yet, is left.
    expect(await blobCount(dataDir)).toBe(1);
  });

  it('a protocol-2 client reads each file as a line of the text', async () => {
    const { hub } = await hubWithFiles();
    const alice = await pairNewUser(hub, 'Alice');
    const bob = await pairNewUser(hub, 'Bob');
    const older = await TestClient.connect(hub.port);
    cleanups.push(() => older.close());
    older.welcome = await older.expect({ type: 'hello', protocol: 2 }, 'welcome');
    await older.expect(await authFrame(older, bob.credentials), 'ready');

    const attachment = await uploadOf(
      hub.port,
      await fileSessionOf(hub.port, alice.client),
      patternBytes(2048),
      'menu.pdf',
    );
    const pushed = older.next((f) => f.type === 'message', 'the message');
    await sendWithFiles(alice, [attachment], 'Tonight');
    const { message } = (await pushed) as ServerFrameOf<'message'>;
    expect(message.attachments).toBeUndefined();
    expect(message.text).toBe('Tonight\n📎 menu.pdf (2.0 KB)');
  });
});

/** Uploads `bytes` whole; named `report.pdf` unless told. */
function uploadOf(port: number, session: string, bytes: Buffer, name = 'report.pdf'): Promise<Attachment> {
  return uploadWhole(port, session, bytes, name);
}
