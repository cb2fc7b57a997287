import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fileDownloadPath, type Attachment } from '../../../shared/protocol';
import { pairNewUser, skipWithoutLoopbackAddress, startTestHub, type Device } from '../testing/testHub';
import { createUpload, send, tusHeaders, type Answer } from './fileServerTestSupport';
import { patternBytes, sha256Hex } from './fileTestSupport';
import { fileSessionOf, uploadWhole } from './hubFileTestSupport';

/**
 * Red-team tests of who may reach a file (appendix F.2, F.5), on a real hub with real paired devices: a LAN
 * client that never paired, a paired member reaching for files of conversations they are not in (or left), a
 * page of another origin, and a removed device. Each asserts what the hub must do; a failing one is an attack
 * that works.
 */

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  stop = started.cleanup;
  return started.hub;
}

async function sendFiles(device: Device, conversationId: string, attachments: Attachment[]): Promise<number> {
  const ack = await device.client.expect(
    { type: 'send', conversationId, clientMsgId: `m-${randomBytes(6).toString('hex')}`, text: '', attachments },
    'ack',
  );
  return ack.seq;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return send(port, { method, path, headers });
}

function asSession(session: string): Record<string, string> {
  return { Authorization: `Roost-Session ${session}` };
}

function errorCode(answer: Answer): string {
  return (JSON.parse(answer.text) as { error: { code: string } }).error.code;
}

/** Alice and Bob with a direct conversation holding one of Alice's files, and Mallory, who is in neither. */
async function directWithFile(bytes = patternBytes(4000, 11)) {
  const h = await hub();
  const alice = await pairNewUser(h, 'Alice');
  const bob = await pairNewUser(h, 'Bob');
  const mallory = await pairNewUser(h, 'Mallory');
  const direct = await alice.client.expect({ type: 'openDirect', userId: bob.credentials.userId }, 'conversation');
  const conversationId = direct.conversation.id;
  const aliceSession = await fileSessionOf(h.port, alice.client);
  const attachment = await uploadOf(h.port, aliceSession, bytes);
  const seq = await sendFiles(alice, conversationId, [attachment]);
  return { hub: h, alice, bob, mallory, conversationId, seq, attachment, aliceSession, bytes };
}

describe('attack: a LAN client that never paired', () => {
  it('gets the same 401 for every file route, whatever session, cookie or ticket it makes up', async () => {
    const s = await directWithFile();
    const where = fileDownloadPath(s.conversationId, s.seq, 0);
    const made = randomBytes(32).toString('base64url');
    const credentials: Array<Record<string, string>> = [
      {},
      { Authorization: `Roost-Session ${made}` },
      { Authorization: `Roost-Session ${s.attachment.uploadId}` },
      { Authorization: `Bearer ${made}` },
      { Authorization: `Roost-Session ${made} ${made}` },
      { Cookie: `roost-files=${made}` },
      { Cookie: `roost-files=${s.attachment.sha256}` },
      { 'Roost-Ticket': made },
    ];
    const answers: Answer[] = [];
    for (const headers of credentials) {
      answers.push(await get(s.hub.port, where, headers));
      answers.push(await get(s.hub.port, fileDownloadPath(s.conversationId, s.seq + 5, 0), headers));
      answers.push(
        await send(s.hub.port, {
          method: 'HEAD',
          path: `/api/files/uploads/${s.attachment.uploadId}`,
          headers: { 'Tus-Resumable': '1.0.0', ...headers },
        }),
      );
      answers.push(
        await send(s.hub.port, {
          method: 'POST',
          path: '/api/files/uploads',
          headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10', ...headers },
        }),
      );
    }
    for (const answer of answers) expect(answer.status).toBe(401);
    // An existing file and a missing one read the same: a stranger learns nothing of what exists.
    expect(answers[0]!.text).toBe(answers[1]!.text);
    const guessedTicket = await send(s.hub.port, {
      method: 'POST',
      path: '/api/files/session',
      headers: { 'Roost-Ticket': made, 'Roost-Session': 'header' },
    });
    expect([guessedTicket.status, errorCode(guessedTicket)]).toEqual([401, 'FILE_SESSION_INVALID']);
  });

  it('a ticket opens one session, only for a device still paired, never from a page of another origin', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const open = (ticket: string, extra: Record<string, string> = {}) =>
      send(h.port, {
        method: 'POST',
        path: '/api/files/session',
        headers: { 'Roost-Ticket': ticket, 'Roost-Session': 'header', ...extra },
      });
    const first = await alice.client.expect({ type: 'openFileSession' }, 'fileTicket');
    // A page elsewhere cannot trade a ticket (its own, to fix a session on the user's browser, or a stolen one).
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${h.port}.evil.example`]) {
      const fromElsewhere = await open(first.ticket, { Origin: origin });
      expect([origin, fromElsewhere.status]).toEqual([origin, 403]);
    }
    // The refused attempts did not spend it: the device itself still can, once.
    expect((await open(first.ticket)).status).toBe(200);
    expect((await open(first.ticket)).status).toBe(401);

    const unused = await alice.client.expect({ type: 'openFileSession' }, 'fileTicket');
    expect(await h.removeDevice(alice.credentials.deviceId)).toBe(true);
    expect((await open(unused.ticket)).status).toBe(401);
  });

  it('a request whose Host is not the hub (DNS rebinding) is refused even with a valid session', async () => {
    const s = await directWithFile();
    const bobSession = await fileSessionOf(s.hub.port, s.bob.client);
    const where = fileDownloadPath(s.conversationId, s.seq, 0);
    const rebound = await get(s.hub.port, where, { ...asSession(bobSession), Host: 'evil.example' });
    expect([rebound.status, errorCode(rebound)]).toEqual([403, 'HOST_NOT_ALLOWED']);
    expect((await get(s.hub.port, where, asSession(bobSession))).status).toBe(200);
  });
});

describe('attack: cookie tricks', () => {
  it('does not take one of two session cookies: a cookie planted for a longer path is not the user', async () => {
    const s = await directWithFile();
    const bob = await fileSessionOf(s.hub.port, s.bob.client);
    const mallory = await fileSessionOf(s.hub.port, s.mallory.client);
    // A browser sends the cookie with the longer Path first: one planted by Mallory for /api/files/uploads
    // (over plain HTTP, or from another port of the same host) comes before Bob's own, for /api/files.
    const both = `roost-files=${mallory}; roost-files=${bob}`;
    const created = await send(s.hub.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10', Cookie: both },
    });
    expect(created.status, 'an upload made with two session cookies went to one of them').toBe(401);
    const where = fileDownloadPath(s.conversationId, s.seq, 0);
    expect((await get(s.hub.port, where, { Cookie: both })).status).toBe(401);
  });
});

describe('attack: a page of another origin with the member’s cookie', () => {
  it('cannot create, append to or delete an upload: Origin is checked on every change', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const session = await fileSessionOf(h.port, alice.client);
    const id = await createUpload(h.port, session, 10);
    const path = `/api/files/uploads/${id}`;
    const origins = ['https://evil.example', 'null', `https://127.0.0.1:${h.port + 1}`, 'file://'];
    for (const Origin of origins) {
      const attempts = [
        await send(h.port, {
          method: 'POST',
          path: '/api/files/uploads',
          headers: tusHeaders(session, { 'Upload-Length': 1, Origin }),
        }),
        await send(h.port, {
          method: 'PATCH',
          path,
          headers: tusHeaders(session, {
            'Content-Type': 'application/offset+octet-stream',
            'Upload-Offset': 0,
            'Content-Length': 10,
            Origin,
          }),
          body: Buffer.alloc(10, 1),
        }),
        await send(h.port, { method: 'DELETE', path, headers: tusHeaders(session, { Origin }) }),
      ];
      for (const answer of attempts) expect([Origin, answer.status]).toEqual([Origin, 403]);
    }
    const head = await send(h.port, { method: 'HEAD', path, headers: tusHeaders(session) });
    expect([head.status, head.headers['upload-offset']]).toEqual([200, '0']);
    // The hub's own page may.
    const own = await send(h.port, {
      method: 'DELETE',
      path,
      headers: tusHeaders(session, { Origin: `http://127.0.0.1:${h.port}` }),
    });
    expect(own.status).toBe(204);
  });
});

describe('attack: a paired member reaching for files not theirs', () => {
  it('cannot download from a conversation they are not in, by its path or any spelling of it', async () => {
    const s = await directWithFile();
    const mallory = await fileSessionOf(s.hub.port, s.mallory.client);
    const id = s.conversationId;
    const encoded = Array.from(Buffer.from(id), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    const paths = [
      fileDownloadPath(id, s.seq, 0),
      `/api/files/${encoded}/${s.seq}/0`,
      `/api/files/${id}/${s.seq}/00`,
      `/api/files/general/../${id}/${s.seq}/0`,
      `/api/files/general%2F..%2F${id}/${s.seq}/0`,
      `/api/files/${id}/${s.seq}/0?as=${s.bob.credentials.userId}`,
      `/api/files/${id}%00/${s.seq}/0`,
      `/api/files/${id.toUpperCase()}/${s.seq}/0`,
    ];
    const missing = await get(s.hub.port, fileDownloadPath('general', 999, 0), asSession(mallory));
    expect(missing.status).toBe(404);
    for (const path of paths) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await get(s.hub.port, path, asSession(mallory), method);
        expect([path, method, answer.status]).toEqual([path, method, 404]);
        if (method === 'GET') expect(answer.text).toBe(missing.text);
      }
    }
    // Bob, who is in it, gets the file; the refusals above were about Mallory, not the path.
    const bob = await fileSessionOf(s.hub.port, s.bob.client);
    const got = await get(s.hub.port, fileDownloadPath(id, s.seq, 0), asSession(bob));
    expect(sha256Hex(got.body)).toBe(s.attachment.sha256);
  });

  it('finds nothing by path traversal in upload ids or download paths, encoded or not', async () => {
    const s = await directWithFile();
    const mallory = await fileSessionOf(s.hub.port, s.mallory.client);
    const paths = [
      '/api/files/uploads/..%2F..%2Ffiles%2Findex.json',
      '/api/files/uploads/..%2Findex.json',
      '/api/files/uploads/%2e%2e%2f%2e%2e%2fregistry.json',
      '/api/files/uploads/../index.json',
      `/api/files/uploads/${s.attachment.uploadId}/..`,
      `/api/files/uploads/${s.attachment.uploadId}%2F..`,
      '/api/files/uploads/AAAAAAAAAAAAAAAAAAAA%2E%2E',
      `/api/files/uploads/${encodeURIComponent('Ａ'.repeat(22))}`,
      `/api/files/uploads/${encodeURIComponent('A'.repeat(21) + '\u0301')}`,
      '/api/files/%2e%2e/1/0',
      '/api/files/..%2F..%2Fregistry.json/1/0',
      '/api/files/..%2Ffiles%2Findex.json/1/0',
      '/api/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd/1/0',
      `/api/files/blobs%2F${s.attachment.sha256.slice(0, 2)}%2F${s.attachment.sha256}/1/0`,
      `/api/files/${s.attachment.sha256}`,
      `/api/files/blobs/${s.attachment.sha256.slice(0, 2)}/${s.attachment.sha256}`,
      '/api/files/index.json',
      '/api/files/%E0%A4%A/1/0',
    ];
    for (const path of paths) {
      const answers = [
        await get(s.hub.port, path, asSession(mallory)),
        await get(s.hub.port, path, { ...asSession(mallory), 'Tus-Resumable': '1.0.0' }, 'HEAD'),
      ];
      for (const answer of answers) {
        expect([path, answer.status]).toEqual([path, 404]);
        expect(answer.text).not.toContain('uploads');
        expect(answer.body.includes(s.bytes.subarray(0, 64))).toBe(false);
      }
    }
  });

  it('cannot HEAD, continue or delete another user’s upload by its id', async () => {
    const s = await directWithFile();
    const mallory = await fileSessionOf(s.hub.port, s.mallory.client);
    const unfinished = await createUpload(s.hub.port, s.aliceSession, 100);
    for (const id of [unfinished, s.attachment.uploadId]) {
      const path = `/api/files/uploads/${id}`;
      const answers = [
        await send(s.hub.port, { method: 'HEAD', path, headers: tusHeaders(mallory) }),
        await send(s.hub.port, {
          method: 'PATCH',
          path,
          headers: tusHeaders(mallory, {
            'Content-Type': 'application/offset+octet-stream',
            'Upload-Offset': 0,
            'Content-Length': 100,
          }),
          body: Buffer.alloc(100, 9),
        }),
        await send(s.hub.port, { method: 'DELETE', path, headers: tusHeaders(mallory) }),
      ];
      for (const answer of answers) expect(answer.status).toBe(404);
    }
    const head = await send(s.hub.port, {
      method: 'HEAD',
      path: `/api/files/uploads/${unfinished}`,
      headers: tusHeaders(s.aliceSession),
    });
    expect(head.headers['upload-offset']).toBe('0');
    // Nor name it in a message of a conversation she is in.
    const named = await s.mallory.client.request({
      type: 'send',
      conversationId: 'general',
      clientMsgId: 'm-mallory-0001',
      text: '',
      attachments: [s.attachment],
    });
    expect(named).toMatchObject({ type: 'error', code: 'FILE_NOT_UPLOADED' });
  });

  it('a member who leaves a group room can no longer download its files', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const carol = await pairNewUser(h, 'Carol');
    const group = await alice.client.expect(
      { type: 'createGroup', name: 'Plans', memberUserIds: [carol.credentials.userId] },
      'conversation',
    );
    const attachment = await uploadOf(h.port, await fileSessionOf(h.port, alice.client), patternBytes(3000, 4));
    const seq = await sendFiles(alice, group.conversation.id, [attachment]);
    const where = fileDownloadPath(group.conversation.id, seq, 0);
    const carolSession = await fileSessionOf(h.port, carol.client);
    expect((await get(h.port, where, asSession(carolSession))).status).toBe(200);
    await carol.client.expect({ type: 'leaveConversation', conversationId: group.conversation.id }, 'conversationLeft');
    const after = await get(h.port, where, asSession(carolSession));
    expect([after.status, errorCode(after)]).toEqual([404, 'FILE_NOT_FOUND']);
  });

  it('cannot tell whether someone else stored a file from how the hub counts its storage', async () => {
    // A hub whose file storage is nearly used up, as on a small disk: what a new upload may take is what is left.
    const h = await hub({ files: { hubBytes: 20_000, maxFileBytes: 20_000, userBytes: 1_000_000 } });
    const alice = await pairNewUser(h, 'Alice');
    const mallory = await pairNewUser(h, 'Mallory');
    const secret = patternBytes(6000, 42);
    // Alice's file, in no conversation Mallory is in (here: only uploaded, which is enough).
    await uploadOf(h.port, await fileSessionOf(h.port, alice.client), secret);
    const session = await fileSessionOf(h.port, mallory.client);

    /** The largest upload Mallory may create now, by bisection; each probe that succeeds is cancelled. */
    async function room(): Promise<number> {
      let low = 0;
      let high = 20_000;
      // At most log2(20 000) + 1 probes.
      for (let i = 0; i < 20 && low < high; i++) {
        const mid = Math.ceil((low + high) / 2);
        const probe = await send(h.port, {
          method: 'POST',
          path: '/api/files/uploads',
          headers: tusHeaders(session, { 'Upload-Length': mid }),
        });
        if (probe.status === 201) {
          low = mid;
          const location = String(probe.headers.location);
          await send(h.port, { method: 'DELETE', path: location, headers: tusHeaders(session) });
        } else high = mid - 1;
      }
      return low;
    }

    const before = await room();
    // Mallory guesses the content (a form letter, a known document) and uploads her guess.
    await uploadOf(h.port, session, Buffer.from(secret));
    const after = await room();
    // Her own upload takes its size from what is left, whether or not someone else has the same bytes.
    expect(before - after, 'a guessed file that someone else stored took no room').toBe(secret.length);
  });
});

describe('attack: a removed device', () => {
  it('has its download and its upload in flight cut at once, and its session refused', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const bob = await pairNewUser(h, 'Bob');
    const big = patternBytes(48 * 1024 * 1024, 6);
    const attachment = await uploadOf(h.port, await fileSessionOf(h.port, alice.client), big, 'big.zip');
    const seq = await sendFiles(alice, 'general', [attachment]);
    const bobSession = await fileSessionOf(h.port, bob.client);

    // A download Bob's device has started and is slow to read.
    const download = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: h.port, path: fileDownloadPath('general', seq, 0), headers: asSession(bobSession) },
        (res) => res.once('data', () => resolve(res.pause())),
      );
      req.on('error', reject);
      req.end();
    });
    // And an upload whose body is arriving.
    const id = await createUpload(h.port, bobSession, 1000);
    const patch = request({
      host: '127.0.0.1',
      port: h.port,
      method: 'PATCH',
      path: `/api/files/uploads/${id}`,
      agent: false,
      headers: tusHeaders(bobSession, {
        'Content-Type': 'application/offset+octet-stream',
        'Upload-Offset': 0,
        'Content-Length': 1000,
      }),
    });
    const patchOutcome = new Promise<string>((resolve) => {
      patch.on('response', (res) => resolve(`answered ${res.statusCode}`));
      patch.on('error', () => resolve('cut'));
    });
    patch.write(Buffer.alloc(100, 3));
    // Bounded: each HEAD is a request; the PATCH is in the store once its bytes show.
    for (let i = 0; i < 200; i++) {
      const head = await send(h.port, {
        method: 'HEAD',
        path: `/api/files/uploads/${id}`,
        headers: tusHeaders(bobSession),
      });
      if (head.headers['upload-offset'] === '100') break;
    }

    expect(await h.removeDevice(bob.credentials.deviceId)).toBe(true);
    const late = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5000).unref());
    expect(await Promise.race([patchOutcome, late])).toBe('cut');
    const downloadEnd = new Promise<{ complete: boolean; received: number }>((resolve) => {
      let received = 0;
      download.on('data', (c: Buffer) => (received += c.length));
      download.on('error', () => {});
      download.on('close', () => resolve({ complete: download.complete, received }));
    });
    download.resume();
    const { complete, received } = await downloadEnd;
    expect(complete).toBe(false);
    expect(received).toBeLessThan(big.length);
    const refused = await get(h.port, fileDownloadPath('general', seq, 0), asSession(bobSession));
    expect([refused.status, errorCode(refused)]).toEqual([401, 'FILE_SESSION_INVALID']);
  });
});

describe('attack: a message deleted while its file downloads', () => {
  it('is gone for every request that starts after the deletion', async () => {
    const h = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const bob = await pairNewUser(h, 'Bob');
    const bytes = patternBytes(8 * 1024 * 1024, 8);
    const attachment = await uploadOf(h.port, await fileSessionOf(h.port, alice.client), bytes, 'photo.zip');
    const seq = await sendFiles(alice, 'general', [attachment]);
    const bobSession = await fileSessionOf(h.port, bob.client);
    const where = fileDownloadPath('general', seq, 0);
    const inFlight = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, path: where, headers: asSession(bobSession) }, (res) =>
        res.once('data', () => resolve(res.pause())),
      );
      req.on('error', reject);
      req.end();
    });
    await alice.client.expect({ type: 'deleteMessage', conversationId: 'general', seq }, 'ok');
    const variants: Array<Record<string, string>> = [
      {},
      { Range: 'bytes=0-0' },
      { 'If-None-Match': `"${attachment.sha256}"` },
    ];
    for (const headers of variants) {
      const answer = await get(h.port, where, { ...asSession(bobSession), ...headers });
      expect(answer.status).toBe(404);
    }
    expect((await get(h.port, where, asSession(bobSession), 'HEAD')).status).toBe(404);
    inFlight.destroy();
  });
});

describe('attack: holding many transfers open', () => {
  it('one address holds at most its quota of downloads open; others are still served', async (test) => {
    const h = await hub({ connectionQuota: { limitLoopback: true, maxPerAddress: 8, maxPerNetwork: 1000 } });
    await skipWithoutLoopbackAddress(test, h.port, '127.0.0.5');
    const alice = await pairNewUser(h, 'Alice');
    const bob = await pairNewUser(h, 'Bob');
    const mallory = await pairNewUser(h, 'Mallory');
    const big = patternBytes(16 * 1024 * 1024, 12);
    const seq = await sendFiles(alice, 'general', [
      await uploadOf(h.port, await fileSessionOf(h.port, alice.client), big),
    ]);
    const where = fileDownloadPath('general', seq, 0);
    const session = await fileSessionOf(h.port, mallory.client);
    const held: IncomingMessage[] = [];
    const attempts = 12;
    // Each download is read once, then left: a descriptor for the socket and one for the file, on the hub.
    const outcomes = await Promise.all(
      Array.from(
        { length: attempts },
        () =>
          new Promise<number | 'closed'>((resolve) => {
            const req = request(
              { host: '127.0.0.1', port: h.port, path: where, localAddress: '127.0.0.5', headers: asSession(session) },
              (res) => {
                if (res.statusCode !== 200) {
                  res.resume();
                  return resolve(res.statusCode ?? 0);
                }
                held.push(res);
                res.once('data', () => resolve(res.pause().statusCode ?? 0));
              },
            );
            req.on('error', () => resolve('closed'));
            req.end();
          }),
      ),
    );
    try {
      expect(outcomes.filter((o) => o === 200)).toHaveLength(8);
      expect(outcomes.filter((o) => o !== 200).every((o) => o === 429 || o === 'closed')).toBe(true);
      // Bob, from another address, still gets the whole file meanwhile.
      const got = await get(h.port, where, asSession(await fileSessionOf(h.port, bob.client)));
      expect([got.status, got.body.length]).toEqual([200, big.length]);
    } finally {
      for (const res of held) res.destroy();
    }
  });
});

/** Uploads `bytes` whole; named `secret.pdf` unless told. */
function uploadOf(port: number, session: string, bytes: Buffer, name = 'secret.pdf'): Promise<Attachment> {
  return uploadWhole(port, session, bytes, name);
}
