import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fileDownloadPath,
  LIMITS,
  type Attachment,
  type ClientFrameInput,
  type ServerFrameOf,
} from '../../../shared/protocol';
import { authFrame } from '../testing/devicePairing';
import { cleanupsAfterEach } from '../testing/cleanups';
import { tempDirsAfterEach } from '../testing/tempDir';
import { pairNewUser, startTestHub } from '../testing/testHub';
import { TestClient } from '../testing/TestClient';
import { send, startFileServer, type Answer } from './fileServerTestSupport';
import type { FileMessage } from './downloads';
import { patternBytes, sha256Hex, uploadBytes } from './fileTestSupport';
import { fileSessionOf, uploadWhole } from './hubFileTestSupport';

/**
 * Red-team tests of what the hub serves and what a message may claim about its files (appendix F.4, F.5, F.7):
 * content-type confusion to get script run from the hub's origin, header injection through file names, Range
 * abuse, forged attachments in `send`, the protocol-2 fallback text, and resends that keep files alive. Each
 * asserts what the hub must do; a failing one is an attack that works.
 */

const cleanups = cleanupsAfterEach();
const tempDir = tempDirsAfterEach('roost-serving-attack-');
let stopHub: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopHub?.();
  stopHub = undefined;
});

type Served = { bytes: Buffer; name: string; type: string };

/** The real HTTP server with message 1 of conv-1 holding these files as stored, and Bob's session to fetch them. */
async function serving(files: readonly Served[]) {
  const s = await startFileServer(await tempDir(), cleanups);
  const attachments: NonNullable<FileMessage['attachments']>[number][] = [];
  const stored = new Set<string>();
  for (const f of files) {
    const sha256 = sha256Hex(f.bytes);
    if (!stored.has(sha256)) await uploadBytes(s.store, 'alice', f.bytes);
    stored.add(sha256);
    attachments.push({ sha256, name: f.name, size: f.bytes.length, type: f.type });
  }
  s.messages.set('conv-1/1', { attachments });
  const session = await s.sessionOf('dev-bob');
  const get = (index: number, headers: Record<string, string> = {}) =>
    send(s.port, {
      method: 'GET',
      path: `/api/files/conv-1/1/${index}`,
      headers: { Authorization: `Roost-Session ${session}`, ...headers },
    });
  return { ...s, get };
}

const PNG_MAGIC = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const HTML = '<html><body><script>fetch("/api/files/uploads")</script></body></html>';

/** Every file answer, whatever it holds: nothing in it runs, nothing is sniffed, nothing frames it. */
function expectContained(answer: Answer): void {
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  expect(answer.headers['x-frame-options']).toBe('DENY');
  expect(answer.headers['content-type']).not.toMatch(/html|xml|svg|javascript|text\//);
}

describe('attack: content-type confusion', () => {
  it('never serves HTML or SVG inline, whatever the declared type, name or first bytes', async () => {
    const files: Served[] = [
      // A PNG+HTML polyglot: real PNG magic, then markup.
      { bytes: Buffer.concat([PNG_MAGIC, Buffer.from(HTML)]), name: 'cat.png', type: 'image/png' },
      { bytes: Buffer.from(`GIF89a/*${HTML}*/`), name: 'a.gif', type: 'image/gif' },
      { bytes: Buffer.from(HTML), name: 'cat.png', type: 'image/png' },
      {
        bytes: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
        name: 'a.svg',
        type: 'image/svg+xml',
      },
      { bytes: Buffer.from(HTML), name: 'index.html', type: 'text/html' },
      { bytes: Buffer.from(HTML), name: 'page.xhtml', type: 'application/xhtml+xml' },
      { bytes: Buffer.concat([PNG_MAGIC, Buffer.from(HTML)]), name: 'x.html', type: 'image/png' },
      { bytes: Buffer.concat([PNG_MAGIC, Buffer.from(HTML)]), name: 'p.png', type: 'IMAGE/PNG' },
      { bytes: Buffer.concat([PNG_MAGIC, Buffer.from(HTML)]), name: 'q.png', type: 'image/png; charset=utf-8' },
      { bytes: Buffer.concat([PNG_MAGIC, Buffer.from(HTML)]), name: 'r.png', type: 'text/html;image/png' },
      { bytes: Buffer.from(`\ufeff${HTML}`), name: 'bom.html', type: 'text/plain' },
    ];
    const s = await serving(files);
    const inline: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const answer = await s.get(i);
      expect(answer.status).toBe(200);
      expectContained(answer);
      if (answer.headers['content-disposition'] === 'inline') inline.push(`${i} ${answer.headers['content-type']}`);
      else expect(answer.headers['content-type']).toBe('application/octet-stream');
    }
    // Only real image bytes under their exact declared type are inline, and then as that image type.
    expect(inline).toEqual(['0 image/png', '1 image/gif', '6 image/png']);
  });
});

describe('attack: header injection through file names', () => {
  it('gives one safe Content-Disposition for any stored name, and no other header', async () => {
    const names = [
      'a.pdf\r\nSet-Cookie: roost-files=evil; Path=/api/files',
      'a.pdf\nX-Injected: 1',
      'x"; filename="evil.exe',
      "x'; filename*=UTF-8''evil.exe",
      'invoice\u202Eexe.pdf',
      'report\u2066.exe\u2069.pdf',
      'naïve Ω 漢字 😀.txt',
      '..',
      '',
      '\u0000\u0007\u001b[31m.txt',
      '%0d%0aSet-Cookie:%20x=1.txt',
      'C:\\Windows\\System32\\evil.dll',
      '../../../.bashrc',
      `${'😀'.repeat(200)}.txt`,
      'line\u2028break.txt',
    ];
    const bytes = Buffer.from('plain bytes');
    const s = await serving(names.map((name) => ({ bytes, name, type: 'application/octet-stream' })));
    for (let i = 0; i < names.length; i++) {
      const answer = await s.get(i);
      expect([i, answer.status]).toEqual([i, 200]);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['x-injected']).toBeUndefined();
      const disposition = String(answer.headers['content-disposition']);
      const match = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9%!#$&+.^_`|~-]+)$/.exec(
        disposition,
      );
      expect(match, disposition).not.toBeNull();
      const [, ascii = '', encoded = ''] = match ?? [];
      expect(ascii).not.toMatch(/["\\/]/);
      const utf8 = decodeURIComponent(encoded);
      // eslint-disable-next-line no-control-regex -- what must never reach a saved name
      expect(utf8).not.toMatch(/[\u0000-\u001f\u007f-\u009f/\\\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
      expect(utf8).not.toMatch(/^\.+$/);
      expect(utf8.length).toBeGreaterThan(0);
      expect(utf8.length).toBeLessThanOrEqual(255);
    }
  });
});

describe('attack: Range header abuse', () => {
  it('answers one range or the whole file, never multipart, with lengths that match the bytes', async () => {
    const bytes = patternBytes(1000, 3);
    const s = await serving([{ bytes, name: 'a.bin', type: 'application/octet-stream' }]);
    const manyRanges = `bytes=${Array.from({ length: 500 }, (_, i) => `${i}-${i}`).join(',')}`;
    const cases: Array<[range: string, status: number, start: number, end: number]> = [
      [manyRanges, 200, 0, 999],
      ['bytes=0-5,3-8', 200, 0, 999],
      ['bytes=0-0, 0-0', 200, 0, 999],
      ['bytes=5-2', 200, 0, 999],
      ['bytes=-5-3', 200, 0, 999],
      ['bytes=--5', 200, 0, 999],
      ['bytes=0x10-0x20', 200, 0, 999],
      ['bytes=1e2-2e2', 200, 0, 999],
      ['bytes=99999999999999999-', 200, 0, 999],
      ['bytes=0-99999999999999999', 200, 0, 999],
      ['items=0-5', 200, 0, 999],
      ['bytes=', 200, 0, 999],
      ['bytes=-', 200, 0, 999],
      ['bytes=0-9999999999999999', 206, 0, 999],
      ['bytes=990-', 206, 990, 999],
      ['bytes=-9999999999999999', 206, 0, 999],
      ['bytes=-10', 206, 990, 999],
      ['bytes=999-999', 206, 999, 999],
      ['bytes=000-001', 206, 0, 1],
      ['bytes=1000-', 416, 0, -1],
      ['bytes=9999999999999999-', 416, 0, -1],
      ['bytes=-0', 416, 0, -1],
    ];
    for (const [range, status, start, end] of cases) {
      const answer = await s.get(0, { Range: range });
      const label = range.slice(0, 40);
      expect([label, answer.status]).toEqual([label, status]);
      expect(String(answer.headers['content-type'])).not.toMatch(/multipart/);
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(answer.body).toEqual(bytes.subarray(start, end + 1));
      if (status === 206) expect(answer.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
      if (status === 416) expect(answer.headers['content-range']).toBe('bytes */1000');
    }
  });

  it('an empty file has no satisfiable range', async () => {
    const s = await serving([{ bytes: Buffer.alloc(0), name: 'empty', type: 'application/octet-stream' }]);
    expect((await s.get(0)).status).toBe(200);
    for (const range of ['bytes=0-', 'bytes=-1', 'bytes=0-0'])
      expect((await s.get(0, { Range: range })).status).toBe(416);
  });
});

// --- Through a real hub: what `send` may claim about its files. ---

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  stopHub = started.cleanup;
  return started;
}

function sendFrame(attachments: unknown, clientMsgId: string, text = ''): ClientFrameInput {
  return { type: 'send', conversationId: 'general', clientMsgId, text, attachments } as unknown as ClientFrameInput;
}

function blobCount(dataDir: string): Promise<number> {
  return readdir(path.join(dataDir, 'files', 'blobs'), { recursive: true, withFileTypes: true }).then(
    (entries) => entries.filter((e) => e.isFile()).length,
  );
}

describe('attack: forged attachments in send', () => {
  it('refuses every lie about a file, and stores nothing for any of them', async () => {
    const { hub: h } = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const own = await uploadOf(h.port, await fileSessionOf(h.port, alice.client), patternBytes(1000, 5));
    const forged: Array<[what: string, attachments: unknown, code: string]> = [
      ['size one short', [{ ...own, size: own.size - 1 }], 'FILE_HASH_MISMATCH'],
      ['size one over', [{ ...own, size: own.size + 1 }], 'FILE_HASH_MISMATCH'],
      ['another hash', [{ ...own, sha256: sha256Hex(Buffer.from('x')) }], 'FILE_HASH_MISMATCH'],
      ['a made-up upload id', [{ ...own, uploadId: 'AAAAAAAAAAAAAAAAAAAAAA' }], 'FILE_NOT_UPLOADED'],
      ['a negative size', [{ ...own, size: -1 }], 'BAD_FRAME'],
      ['a fractional size', [{ ...own, size: 999.5 }], 'BAD_FRAME'],
      ['a size past 2^53', [{ ...own, size: 2 ** 53 }], 'BAD_FRAME'],
      ['an uppercase hash', [{ ...own, sha256: own.sha256.toUpperCase() }], 'BAD_FRAME'],
      ['an image wider than 65535', [{ ...own, type: 'image/png', image: { width: 65_536, height: 1 } }], 'BAD_FRAME'],
      ['an image of no pixels', [{ ...own, type: 'image/png', image: { width: 0, height: 10 } }], 'BAD_FRAME'],
      ['an image of fractional pixels', [{ ...own, type: 'image/png', image: { width: 1.5, height: 1 } }], 'BAD_FRAME'],
      ['a type with parameters', [{ ...own, type: 'text/html; charset=utf-8' }], 'BAD_FRAME'],
      ['an uppercase type', [{ ...own, type: 'IMAGE/PNG' }], 'BAD_FRAME'],
      ['a name with CRLF', [{ ...own, name: 'a\r\nb.pdf' }], 'BAD_FRAME'],
      ['a name with a direction override', [{ ...own, name: 'invoice\u202Eexe.pdf' }], 'BAD_FRAME'],
      ['a name with a slash', [{ ...own, name: '../a.pdf' }], 'BAD_FRAME'],
      ['a name with a backslash', [{ ...own, name: '..\\a.pdf' }], 'BAD_FRAME'],
      ['an empty name', [{ ...own, name: '' }], 'BAD_FRAME'],
      ['a name of 256 characters', [{ ...own, name: 'a'.repeat(256) }], 'BAD_FRAME'],
      ['eleven files', Array.from({ length: LIMITS.maxAttachments + 1 }, () => own), 'BAD_FRAME'],
      ['no files and no text', [], 'BAD_FRAME'],
    ];
    for (const [i, [what, attachments, code]] of forged.entries()) {
      const answer = await alice.client.request(sendFrame(attachments, `m-forged-${String(i).padStart(4, '0')}`));
      expect([what, answer.type, answer.type === 'error' ? answer.code : '']).toEqual([what, 'error', code]);
    }
    const page = await alice.client.expect(
      { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages).toEqual([]);
    // A field the protocol does not have is dropped, never stored or passed on to members.
    const extra = await alice.client.request(
      sendFrame([{ ...own, path: '/etc/passwd', url: 'https://x' }], 'm-x-0001'),
    );
    expect(extra.type).toBe('ack');
    const stored = await alice.client.expect(
      { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(Object.keys(stored.messages[0]?.attachments?.[0] ?? {}).sort()).toEqual(['name', 'sha256', 'size', 'type']);
  });

  it('the same upload twice in one message is two views of one file, freed once the message goes', async () => {
    const { hub: h, dataDir } = await hub({ files: { graceMs: 0 } });
    const alice = await pairNewUser(h, 'Alice');
    const session = await fileSessionOf(h.port, alice.client);
    const own = await uploadOf(h.port, session, patternBytes(2000, 6));
    const ack = await alice.client.expect(sendFrame([own, { ...own, name: 'copy.pdf' }], 'm-twice-0001'), 'ack');
    for (const index of [0, 1]) {
      const got = await send(h.port, {
        method: 'GET',
        path: fileDownloadPath('general', ack.seq, index),
        headers: { Authorization: `Roost-Session ${session}` },
      });
      expect(sha256Hex(got.body)).toBe(own.sha256);
    }
    await alice.client.expect({ type: 'deleteMessage', conversationId: 'general', seq: ack.seq }, 'ok');
    await h.stop();
    const again = await startTestHub({ dataDir, files: { graceMs: 0 } });
    stopHub = again.cleanup;
    expect(await blobCount(dataDir)).toBe(0);
  });
});

describe('attack: a resend that names other files', () => {
  it('a resend of a stored message with other uploads leaves nothing pinned once the message is deleted', async () => {
    const { hub: h, dataDir } = await hub({ files: { graceMs: 0 } });
    const alice = await pairNewUser(h, 'Alice');
    const session = await fileSessionOf(h.port, alice.client);
    const first = await uploadOf(h.port, session, patternBytes(3000, 1));
    const other = await uploadOf(h.port, session, patternBytes(3000, 2));
    const ack = await alice.client.expect(sendFrame([first], 'm-resend-0001'), 'ack');
    // The "resend" carries the same clientMsgId and another file: the hub answers with the stored message.
    const resent = await alice.client.expect(sendFrame([other], 'm-resend-0001'), 'ack');
    expect([resent.seq, resent.duplicate]).toEqual([ack.seq, true]);
    await alice.client.expect({ type: 'deleteMessage', conversationId: 'general', seq: ack.seq }, 'ok');
    // No message names either upload now: after the grace period (0) the sweep at start deletes both.
    await h.stop();
    const again = await startTestHub({ dataDir, files: { graceMs: 0 } });
    stopHub = again.cleanup;
    expect(await blobCount(dataDir), 'an upload no message names is kept for ever').toBe(0);
  });

  it('a resend after the message was deleted does not bring its file back for ever', async () => {
    const { hub: h, dataDir } = await hub({ files: { graceMs: 0 } });
    const alice = await pairNewUser(h, 'Alice');
    const file = await uploadOf(h.port, await fileSessionOf(h.port, alice.client), patternBytes(3000, 3));
    const ack = await alice.client.expect(sendFrame([file], 'm-resend-0002'), 'ack');
    await alice.client.expect({ type: 'deleteMessage', conversationId: 'general', seq: ack.seq }, 'ok');
    const resent = await alice.client.expect(sendFrame([file], 'm-resend-0002'), 'ack');
    expect([resent.seq, resent.duplicate]).toEqual([ack.seq, true]);
    await h.stop();
    const again = await startTestHub({ dataDir, files: { graceMs: 0 } });
    stopHub = again.cleanup;
    expect(await blobCount(dataDir), "a deleted message's file is kept for ever").toBe(0);
  });
});

describe('attack: the protocol-2 fallback text', () => {
  it('a file name cannot add lines to what a protocol-2 client reads', async () => {
    const { hub: h } = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const bob = await pairNewUser(h, 'Bob');
    const older = await TestClient.connect(h.port);
    cleanups.push(() => older.close());
    older.welcome = await older.expect({ type: 'hello', protocol: 2 }, 'welcome');
    await older.expect(await authFrame(older, bob.credentials), 'ready');
    const file = await uploadOf(h.port, await fileSessionOf(h.port, alice.client), patternBytes(1500, 7));
    // Line and paragraph separators are not control characters, but many renderers break lines at them.
    const forgedName = 'notes.txt (1.5 KB)\u2028📎 payroll.xlsx (12 KB)\u2029📎 keys.zip (3 KB)';
    const pushed = older.next((f) => f.type === 'message', 'the message');
    const answer = await alice.client.request(sendFrame([{ ...file, name: forgedName }], 'm-fallback-01', 'Hi'));
    if (answer.type === 'error') {
      expect(answer.code).toBe('BAD_FRAME');
      // Nothing is pushed for a refused send: the wait ends with the connection, which is no failure here.
      pushed.catch(() => undefined);
      return;
    }
    const { message } = (await pushed) as ServerFrameOf<'message'>;
    // "Hi", then exactly one line for the one file.
    expect(message.text.split(/\r\n|[\n\r\u2028\u2029\u0085\v\f]/)).toHaveLength(2);
  });
});

/** Uploads `bytes` whole; named `file.pdf` unless told. */
function uploadOf(port: number, session: string, bytes: Buffer, name = 'file.pdf'): Promise<Attachment> {
  return uploadWhole(port, session, bytes, name);
}
