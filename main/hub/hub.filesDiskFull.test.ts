import { open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDownloadPath, type ServerFrame } from '../../shared/protocol';
import { patternBytes } from './files/fileTestSupport';
import {
  attachmentOf,
  deleteUpload,
  downloadFile,
  fileErrorCode,
  fileSessionOf,
  freeBytesAt,
  headUpload,
  openPatch,
  patchUpload,
  postUpload,
  uploadIdOf,
  waitForFileSize,
} from './files/hubFileTestSupport';
import { isNoSpace, SPACE_CHECK_BYTES } from './files/uploadWriter';
import type { HubLogger } from './HubContext';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { mountTmpfs, tmpfsSkipReason } from './testing/tmpfs';
import { pairNewUser, startTestHub, type Device } from './testing/testHub';

/**
 * Appendix F.6 on a real full disk, a small tmpfs: the hub keeps `freeReserveBytes` free for the message log
 * and the registry, refuses an upload that would cut into it when it is created, and stops a PATCH that reaches
 * it with 507 HUB_STORAGE_FULL, keeping what is durable; text messages go on. Needs root (or CAP_SYS_ADMIN) to
 * mount the tmpfs; skipped, with the reason printed, where mounting is not permitted.
 */
const skipReason = await tmpfsSkipReason('hub.filesDiskFull.test.ts');

const cleanups = cleanupsAfterEach();
const quiet: HubLogger = { info: () => {}, warn: () => {}, error: () => {} };
const MiB = 1024 * 1024;
/** The hub's reserve in these tests: small beside a tmpfs of tens of MiB, so the tests can reach it. */
const RESERVE = 4 * MiB;
let counter = 0;

/** A fresh tmpfs of `size`, unmounted after the test. */
const smallDisk = (size: string) => mountTmpfs(size, cleanups);

async function hubOnSmallDisk(size: string) {
  const disk = await smallDisk(size);
  const dataDir = path.join(disk, 'hub');
  const { hub } = await startTestHub({ dataDir, logger: quiet, files: { freeReserveBytes: RESERVE } });
  // Before the unmount (clean-ups run newest first).
  cleanups.push(() => hub.stop().catch(() => {}));
  const alice = await pairNewUser(hub, 'Alice');
  const bob = await pairNewUser(hub, 'Bob');
  for (const device of [alice, bob]) cleanups.push(() => device.client.close());
  const session = await fileSessionOf(hub.port, alice.client);
  return { hub, port: hub.port, disk, dataDir, alice, bob, session };
}

function sendText(device: Device, text: string): Promise<ServerFrame> {
  const clientMsgId = `m-text-${String(counter++).padStart(4, '0')}`;
  return device.client.request({ type: 'send', conversationId: GENERAL, clientMsgId, text });
}

/** A text message is stored and acknowledged, and reaches the other member. */
async function expectTextWorks(from: Device, to: Device, text: string): Promise<void> {
  const pushed = to.client.next((f) => f.type === 'message' && f.message.text === text, `the message "${text}"`);
  expect(await sendText(from, text)).toMatchObject({ type: 'ack' });
  await pushed;
}

function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'files', 'uploads');
}

/**
 * Fills what is left of the disk with a file of its own, as another program would, then gives back `leave` bytes:
 * less than a write of the hub's, so its next write is cut short by the disk. Bounded by the disk's size.
 */
async function fillDisk(file: string, diskBytes: number, leave: number): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let size = 0;
    for (const step of [MiB, 4096]) {
      const chunk = Buffer.alloc(step, 0x5a);
      for (let turns = diskBytes / step; turns > 0; turns--) {
        try {
          size += (await handle.write(chunk)).bytesWritten;
        } catch (err) {
          if (!isNoSpace(err)) throw err;
          break;
        }
      }
    }
    await handle.truncate(size - leave);
  } finally {
    await handle.close();
  }
}

describe.skipIf(skipReason !== null)('files on a full disk (tmpfs)', () => {
  it('an upload that would cut into the reserve is refused when created, with nothing written', async () => {
    const { port, dataDir, alice, bob, session } = await hubOnSmallDisk('16m');
    const free = await freeBytesAt(dataDir);
    // It would fit on the disk, but not beside the reserve.
    const tooBig = await postUpload(port, session, free - RESERVE + 256 * 1024);
    expect([tooBig.status, fileErrorCode(tooBig)]).toEqual([507, 'HUB_STORAGE_FULL']);
    expect(await readdir(uploadsDir(dataDir))).toEqual([]);
    await expectTextWorks(alice, bob, 'still here');
    // What fits beside the reserve is taken.
    expect((await postUpload(port, session, free - RESERVE - 256 * 1024)).status).toBe(201);
  });

  it('a PATCH reaching the reserve gets 507 and keeps its offset; texts go on; DELETE frees the space', async () => {
    const { port, dataDir, alice, bob, session } = await hubOnSmallDisk('48m');
    // Declared while the disk had room for it; by the time its bytes come, another upload took most of that room.
    const late = patternBytes(SPACE_CHECK_BYTES + 4 * MiB, 2);
    const lateId = uploadIdOf(await postUpload(port, session, late.length));
    // Leaves the reserve and a little less than the late upload's size: it is granted room part by part (never
    // more than half of what is left above the reserve) and stops just above the reserve, before the disk is full.
    const room = RESERVE + SPACE_CHECK_BYTES - 2 * MiB;
    const big = Buffer.alloc((await freeBytesAt(dataDir)) - room, 0xa5);
    const bigId = uploadIdOf(await postUpload(port, session, big.length));
    expect((await patchUpload(port, session, bigId, 0, big)).status).toBe(204);
    const before = await freeBytesAt(dataDir);
    expect(before).toBeGreaterThan(RESERVE);
    expect(before).toBeLessThan(RESERVE + SPACE_CHECK_BYTES);

    const patch = await openPatch(port, session, lateId, 0, late.length);
    await patch.write(late.subarray(0, 2 * MiB));
    await waitForFileSize(path.join(uploadsDir(dataDir), lateId), 2 * MiB);
    await expectTextWorks(alice, bob, 'while a file is arriving');
    await patch.write(late.subarray(2 * MiB));
    const full = await patch.answer;
    expect([full?.status, full && fileErrorCode(full)]).toEqual([507, 'HUB_STORAGE_FULL']);

    // Stopped by the reserve, not by the disk: everything above the reserve used, nothing of the reserve.
    const kept = await headUpload(port, session, lateId);
    expect(kept.offset).toBeLessThanOrEqual(before - RESERVE);
    expect(kept.offset).toBeGreaterThan(before - RESERVE - MiB);
    expect((await stat(path.join(uploadsDir(dataDir), lateId))).size).toBe(kept.offset);
    const atReserve = await freeBytesAt(dataDir);
    expect(atReserve).toBeGreaterThanOrEqual(RESERVE);
    await expectTextWorks(alice, bob, 'the disk is almost full');

    // Going on from the kept offset is refused before a byte is written, and so is any new upload.
    const again = await openPatch(port, session, lateId, kept.offset!, late.length - kept.offset!);
    await again.write(late.subarray(kept.offset));
    const refused = await again.answer;
    expect([refused?.status, refused && fileErrorCode(refused)]).toEqual([507, 'HUB_STORAGE_FULL']);
    expect(await headUpload(port, session, lateId)).toMatchObject({ status: 200, offset: kept.offset });
    const small = patternBytes(64 * 1024, 3);
    expect((await postUpload(port, session, small.length)).status).toBe(507);

    expect((await deleteUpload(port, session, lateId)).status).toBe(204);
    expect((await headUpload(port, session, lateId)).status).toBe(404);
    expect(await freeBytesAt(dataDir)).toBeGreaterThanOrEqual(atReserve + kept.offset! - 64 * 1024);
    const smallId = uploadIdOf(await postUpload(port, session, small.length));
    expect((await patchUpload(port, session, smallId, 0, small)).status).toBe(204);
    const ack = await alice.client.request({
      type: 'send',
      conversationId: GENERAL,
      clientMsgId: 'm-small-file',
      text: 'space again',
      attachments: [attachmentOf(smallId, small)],
    });
    if (ack.type !== 'ack') throw new Error(`expected an ack, got ${JSON.stringify(ack)}`);
    const got = await downloadFile(port, await fileSessionOf(port, bob.client), fileDownloadPath(GENERAL, ack.seq, 0));
    expect(got.body.equals(small)).toBe(true);
  });

  it('a PATCH that meets a disk filled by another program keeps exactly what it wrote, finishing later', async () => {
    const { port, disk, dataDir, alice, bob, session } = await hubOnSmallDisk('24m');
    const bytes = patternBytes(6 * MiB + 999, 4);
    const uploadId = uploadIdOf(await postUpload(port, session, bytes.length));
    const part = path.join(uploadsDir(dataDir), uploadId);
    const patch = await openPatch(port, session, uploadId, 0, bytes.length);
    const first = MiB + 4321;
    await patch.write(bytes.subarray(0, first));
    await waitForFileSize(part, first);
    // The disk fills while the upload is paused, but for a few pages: what the client sends next meets ENOSPC.
    const other = path.join(disk, 'another-program');
    await fillDisk(other, 24 * MiB, 40 * 1024);
    await patch.write(bytes.subarray(first));
    const full = await patch.answer;
    expect([full?.status, full && fileErrorCode(full)]).toEqual([507, 'HUB_STORAGE_FULL']);

    // What is kept is what was written whole, and HEAD says so: no torn tail.
    const kept = await headUpload(port, session, uploadId);
    expect(kept.offset).toBeGreaterThanOrEqual(first);
    expect(kept.offset).toBeLessThan(bytes.length);
    expect((await stat(part)).size).toBe(kept.offset);

    await rm(other);
    await expectTextWorks(alice, bob, 'space again');
    const rest = await patchUpload(port, session, uploadId, kept.offset!, bytes.subarray(kept.offset));
    expect([rest.status, rest.headers['upload-offset']]).toEqual([204, String(bytes.length)]);
    // The hash the hub kept covers exactly the bytes it kept: the message names the file by the whole file's.
    const ack = await alice.client.request({
      type: 'send',
      conversationId: GENERAL,
      clientMsgId: 'm-after-enospc',
      text: '',
      attachments: [attachmentOf(uploadId, bytes)],
    });
    if (ack.type !== 'ack') throw new Error(`expected an ack, got ${JSON.stringify(ack)}`);
    const got = await downloadFile(port, await fileSessionOf(port, bob.client), fileDownloadPath(GENERAL, ack.seq, 0));
    expect(got.body.equals(bytes)).toBe(true);
  });
});
