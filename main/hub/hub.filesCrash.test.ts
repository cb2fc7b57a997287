import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Upload } from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { FILE_UPLOADS_PATH, fileDownloadPath, type Attachment, type ServerFrame } from '../../shared/protocol';
import {
  attachmentOf,
  downloadFile,
  fileErrorCode,
  fileSessionOf,
  headUpload,
  openPatch,
  patchUpload,
  postUpload,
  uploadIdOf,
  waitForFileSize,
} from './files/hubFileTestSupport';
import { patternBytes, sha256Hex } from './files/fileTestSupport';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { expectPaired } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { makeTempDir, pairNewUser, reconnect, startTestHub, type Device } from './testing/testHub';
import type { Hub } from './Hub';

/**
 * Appendix F.3 across a crash: "a hub restart keeps what arrived: HEAD says the offset; continue from it, not
 * from zero". The hub runs as its own process and is SIGKILLed while an upload's PATCH is still open; a new hub
 * on the same data directory must offer exactly what reached the disk, store nothing as a file before its last
 * byte, and finish the file from there byte for byte.
 */

const fixture = fileURLToPath(new URL('./files/crashHub.fixture.ts', import.meta.url));
const cleanups = cleanupsAfterEach();
const MiB = 1024 * 1024;
// The host's free space is not what these tests are about: a reserve small enough for any test machine.
const FILES = { freeReserveBytes: 16 * MiB };
let messages = 0;

type HubProcess = { port: number; code: string; kill: () => Promise<NodeJS.Signals | null> };

/**
 * A hub in a child process on `dataDir` (crashHub.fixture.ts), killed after the test if it still runs. Its
 * pairing code works once: one device pairs with it, others pair after the restart.
 */
async function spawnHub(dataDir: string): Promise<HubProcess> {
  const args = ['--import', 'tsx', fixture, dataDir, '0', String(FILES.freeReserveBytes)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  };
  cleanups.push(() => kill().then(() => {}));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then((signal) => reject(new Error(`the hub process ended (${signal}) before it listened`)));
  });
  const { port, code } = JSON.parse(line) as { port: number; code: string };
  return { port, code, kill };
}

async function pairWith(hub: HubProcess, name: string): Promise<Device> {
  const client = await TestClient.connect(hub.port);
  cleanups.push(() => client.close());
  await client.hello();
  const { ready, credentials } = await expectPaired(client, {
    credential: { kind: 'code', code: hub.code, displayName: name },
    device: { name: `${name}'s laptop`, platform: 'linux' },
  });
  return { client, ready, credentials };
}

async function restartedHub(dataDir: string, port = 0) {
  const { hub } = await startTestHub({ dataDir, port, files: FILES });
  cleanups.push(() => hub.stop());
  return hub;
}

async function reconnected(port: number, device: Device): Promise<Device> {
  const again = await reconnect(port, device.credentials);
  cleanups.push(() => again.client.close());
  return again;
}

function sendWithFiles(device: Device, attachments: Attachment[]): Promise<ServerFrame> {
  const clientMsgId = `m-crash-${String(messages++).padStart(4, '0')}`;
  return device.client.request({ type: 'send', conversationId: GENERAL, clientMsgId, text: '', attachments });
}

function partFile(dataDir: string, uploadId: string): string {
  return path.join(dataDir, 'files', 'uploads', uploadId);
}

/** The names of the stored files (blobs are named by their SHA-256). */
async function blobs(dataDir: string): Promise<string[]> {
  const entries = await readdir(path.join(dataDir, 'files', 'blobs'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

/** After the restart: the file is named in a message and downloads as exactly `bytes` for another member. */
async function expectDelivered(hub: Hub, sender: Device, attachment: Attachment, bytes: Buffer) {
  const ack = await sendWithFiles(sender, [attachment]);
  if (ack.type !== 'ack') throw new Error(`expected an ack, got ${JSON.stringify(ack)}`);
  const reader = await pairNewUser(hub, 'Bob');
  cleanups.push(() => reader.client.close());
  const session = await fileSessionOf(hub.port, reader.client);
  const got = await downloadFile(hub.port, session, fileDownloadPath(GENERAL, ack.seq, 0));
  expect(got.status).toBe(200);
  expect(got.body.length).toBe(bytes.length);
  expect(got.body.equals(bytes)).toBe(true);
}

describe('an upload across a hub crash (SIGKILL)', () => {
  it('keeps what reached the disk mid-PATCH: after a restart HEAD says it, and the rest completes it', async () => {
    const temp = await makeTempDir('roost-files-crash-');
    cleanups.push(temp.remove);
    const first = await spawnHub(temp.dir);
    const alice = await pairWith(first, 'Alice');
    const session = await fileSessionOf(first.port, alice.client);
    const bytes = patternBytes(5 * MiB + 333, 5);
    // Not on a chunk boundary: whatever the hub's writes are, the part must end exactly here.
    const sent = 2 * MiB + 12_345;
    const uploadId = uploadIdOf(await postUpload(first.port, session, bytes.length));

    // One PATCH declaring every byte, of which only the first `sent` ever leave the client.
    const patch = await openPatch(first.port, session, uploadId, 0, bytes.length);
    await patch.write(bytes.subarray(0, sent));
    expect(await waitForFileSize(partFile(temp.dir, uploadId), sent)).toBe(sent);
    // HEAD answers while the PATCH is open, with no more than arrived.
    const during = await headUpload(first.port, session, uploadId);
    expect(during.status).toBe(200);
    expect(during.offset).toBeGreaterThan(0);
    expect(during.offset).toBeLessThanOrEqual(sent);
    expect(await blobs(temp.dir)).toEqual([]);
    expect(await first.kill()).toBe('SIGKILL');
    // The PATCH was never answered: the hub died in the middle of it.
    expect(await patch.answer).toBeUndefined();

    const hub = await restartedHub(temp.dir);
    // Sessions lived in the dead hub's memory.
    expect((await headUpload(hub.port, session, uploadId)).status).toBe(401);
    const aliceAgain = await reconnected(hub.port, alice);
    const fresh = await fileSessionOf(hub.port, aliceAgain.client);
    expect(await headUpload(hub.port, fresh, uploadId)).toEqual({ status: 200, offset: sent, length: bytes.length });

    // Nothing is a file before its last byte: no blob, and no message may name the upload, by either hash.
    expect(await blobs(temp.dir)).toEqual([]);
    for (const claimed of [attachmentOf(uploadId, bytes), attachmentOf(uploadId, bytes.subarray(0, sent))])
      expect(await sendWithFiles(aliceAgain, [claimed])).toMatchObject({ type: 'error', code: 'FILE_NOT_UPLOADED' });
    // Starting over is refused: a client goes on from HEAD's offset.
    const fromZero = await patchUpload(hub.port, fresh, uploadId, 0, bytes.subarray(0, 16));
    expect([fromZero.status, fileErrorCode(fromZero)]).toEqual([409, 'FILE_OFFSET_MISMATCH']);

    const rest = await patchUpload(hub.port, fresh, uploadId, sent, bytes.subarray(sent));
    expect([rest.status, rest.headers['upload-offset']]).toEqual([204, String(bytes.length)]);
    expect(await blobs(temp.dir)).toEqual([sha256Hex(bytes)]);
    await expectDelivered(hub, aliceAgain, attachmentOf(uploadId, bytes), bytes);
  });

  it('tus-js-client resumes from the upload URL it kept, on the hub that came back, not from zero', async () => {
    const temp = await makeTempDir('roost-files-crash-');
    cleanups.push(temp.remove);
    const first = await spawnHub(temp.dir);
    const alice = await pairWith(first, 'Alice');
    const bytes = patternBytes(4 * MiB + 777, 8);
    const session = await fileSessionOf(first.port, alice.client);

    // Chunks of 1 MiB, each its own PATCH: the hub is killed as soon as it has acknowledged two of them.
    let acceptedAtKill = 0;
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      const upload: Upload = new Upload(bytes, {
        endpoint: `http://127.0.0.1:${first.port}${FILE_UPLOADS_PATH}`,
        headers: { Authorization: `Roost-Session ${session}` },
        chunkSize: MiB,
        retryDelays: null,
        onChunkComplete: (_chunk, accepted) => {
          if (acceptedAtKill > 0 || accepted < 2 * MiB) return;
          acceptedAtKill = accepted;
          void first.kill();
        },
        onError: () => resolve({ url: upload.url ?? '' }),
        onSuccess: () => reject(new Error('the upload finished although its hub was killed')),
      });
      upload.start();
    });
    expect(await first.kill()).toBe('SIGKILL');
    expect(acceptedAtKill).toBe(2 * MiB);
    const uploadId = url.split('/').pop() ?? '';

    // Back on the same address, as a hub on its fixed port is after a crash.
    const hub = await restartedHub(temp.dir, first.port);
    const aliceAgain = await reconnected(hub.port, alice);
    const fresh = await fileSessionOf(hub.port, aliceAgain.client);
    const kept = await headUpload(hub.port, fresh, uploadId);
    // At least what the hub acknowledged; at most one more chunk, which may have been arriving at the kill.
    expect(kept.offset).toBeGreaterThanOrEqual(acceptedAtKill);
    expect(kept.offset).toBeLessThan(acceptedAtKill + MiB);

    // Resuming from the kept URL: tus-js-client asks HEAD and sends only the rest. Had it (or the hub) started
    // from zero, the hub would have answered 409 and, without retries, the upload would have failed.
    const progress: number[] = [];
    const resumedUrl = await new Promise<string>((resolve, reject) => {
      const upload: Upload = new Upload(bytes, {
        uploadUrl: url,
        headers: { Authorization: `Roost-Session ${fresh}` },
        chunkSize: MiB,
        retryDelays: null,
        onChunkComplete: (_chunk, accepted) => void progress.push(accepted),
        onError: reject,
        onSuccess: () => resolve(upload.url ?? ''),
      });
      upload.start();
    });
    expect(resumedUrl).toBe(url);
    expect(progress[0]).toBe(Math.min(bytes.length, kept.offset! + MiB));
    expect(progress.at(-1)).toBe(bytes.length);
    await expectDelivered(hub, aliceAgain, attachmentOf(uploadId, bytes), bytes);
  });
});
