import { describe, expect, test } from 'vitest';
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { FileSession } from './FileSession';
import { uploadFile } from './uploadFile';

/**
 * The tus client as Roost sets it up, against a scripted hub (tus-js-client's own HTTP stack replaced, in
 * Chromium so its browser build runs): resuming, a lost session renewed once, refusals in the hub's words,
 * and Cancel deleting the upload.
 */

type Answer = { status: number; headers?: Record<string, string>; body?: string };
type Seen = { method: string; url: string; headers: Record<string, string> };

class ScriptedHub implements HttpStack {
  readonly seen: Seen[] = [];
  constructor(private readonly answer: (request: Seen, index: number) => Answer) {}

  getName(): string {
    return 'scripted';
  }

  createRequest(method: string, url: string): HttpRequest {
    const headers: Record<string, string> = {};
    const request: HttpRequest = {
      getMethod: () => method,
      getURL: () => url,
      setHeader: (name, value) => void (headers[name] = value),
      getHeader: (name) => headers[name],
      setProgressHandler: () => {},
      send: () => {
        const seen = { method, url, headers };
        this.seen.push(seen);
        const answer = this.answer(seen, this.seen.length - 1);
        const response: HttpResponse = {
          getStatus: () => answer.status,
          getHeader: (name) => answer.headers?.[name],
          getBody: () => answer.body ?? '',
          getUnderlyingObject: () => undefined,
        };
        return Promise.resolve(response);
      },
      abort: () => Promise.resolve(),
      getUnderlyingObject: () => undefined,
    };
    return request;
  }
}

const ID = 'AbCdEfGhIjKlMnOpQrStUv';
const LOCATION = `/api/files/uploads/${ID}`;

/** A hub that takes the upload in one PATCH, after `before` answers. */
function hub(before: Answer[] = []) {
  const queue = [...before];
  return new ScriptedHub((request): Answer => {
    const early = queue.shift();
    if (early) return early;
    if (request.method === 'POST') return { status: 201, headers: { Location: LOCATION } };
    if (request.method === 'HEAD') return { status: 200, headers: { 'Upload-Offset': '0', 'Upload-Length': '5' } };
    if (request.method === 'PATCH') return { status: 204, headers: { 'Upload-Offset': '5' } };
    return { status: 204 };
  });
}

let sessions = 0;
function session() {
  const opened: number[] = [];
  const value = new FileSession(() => Promise.resolve({ ticket: 't' }), (() => {
    opened.push(++sessions);
    return Promise.resolve(Response.json({ expiresAt: 1 }));
  }) as unknown as typeof fetch);
  return { session: value, opened };
}

let hashes = 0;
const upload = (stack: HttpStack, fileSession: FileSession, signal = new AbortController().signal) =>
  uploadFile(new Blob(['hello']), {
    // A new hash each time: tus-js-client remembers uploads by it in localStorage.
    sha256: String(++hashes).padStart(64, '0'),
    session: fileSession,
    signal,
    onProgress: () => {},
    httpStack: stack,
  });

describe('uploadFile', () => {
  test('creates the upload, sends it in one chunk and resolves with its id', async () => {
    const stack = hub();
    const { session: s } = session();
    expect(await upload(stack, s)).toBe(ID);
    expect(stack.seen.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(stack.seen[0]!.url).toBe('/api/files/uploads');
    expect(stack.seen[0]!.headers['Upload-Length']).toBe('5');
  });

  test('a lost session (the hub restarted) is opened again once, and the upload goes on', async () => {
    const gone = { status: 401, body: JSON.stringify({ error: { code: 'FILE_SESSION_INVALID', message: 'x' } }) };
    const stack = hub([gone]);
    const { session: s, opened } = session();
    expect(await upload(stack, s)).toBe(ID);
    expect(opened).toHaveLength(2);
  });

  test("a refusal that will not change is not retried, and says the hub's words", async () => {
    const full = { status: 507, body: JSON.stringify({ error: { code: 'FILE_QUOTA_EXCEEDED', message: 'Full.' } }) };
    const stack = hub([full]);
    await expect(upload(stack, session().session)).rejects.toMatchObject({
      code: 'FILE_QUOTA_EXCEEDED',
      message: 'Full.',
    });
    expect(stack.seen).toHaveLength(1);
  });

  test('a busy hub (5xx) is tried again', async () => {
    const stack = hub([{ status: 503 }]);
    expect(await upload(stack, session().session)).toBe(ID);
    expect(stack.seen.map((r) => r.method)).toEqual(['POST', 'POST', 'PATCH']);
  });

  test('Cancel stops the upload and deletes it on the hub', async () => {
    const controller = new AbortController();
    let patched: () => void = () => {};
    const patching = new Promise<void>((resolve) => (patched = resolve));
    const stack = new ScriptedHub((request): Answer => {
      if (request.method === 'POST') return { status: 201, headers: { Location: LOCATION } };
      if (request.method === 'PATCH') {
        patched();
        controller.abort();
        return { status: 204, headers: { 'Upload-Offset': '2' } };
      }
      return { status: 204 };
    });
    const done = upload(stack, session().session, controller.signal);
    await patching;
    await expect(done).rejects.toThrow();
    await expect.poll(() => stack.seen.map((r) => r.method)).toContain('DELETE');
    expect(stack.seen.find((r) => r.method === 'DELETE')!.url).toContain(ID);
  });

  test("in the desktop window: the hub's own address, and the session as Authorization on each request", async () => {
    const HUB = 'https://192.168.1.20:7420';
    const gone = { status: 401, body: JSON.stringify({ error: { code: 'FILE_SESSION_INVALID', message: 'x' } }) };
    const stack = hub([gone]);
    let opened = 0;
    const desktop = new FileSession(
      () => Promise.resolve({ ticket: 't' }),
      (() =>
        Promise.resolve(
          Response.json({ session: String(++opened).repeat(43), expiresAt: 1 }),
        )) as unknown as typeof fetch,
      HUB,
    );
    expect(await upload(stack, desktop)).toBe(ID);
    expect(stack.seen.map((r) => `${r.method} ${r.url} ${r.headers.Authorization}`)).toEqual([
      `POST ${HUB}/api/files/uploads Roost-Session ${'1'.repeat(43)}`,
      // The renewed session, not the one the upload started with.
      `POST ${HUB}/api/files/uploads Roost-Session ${'2'.repeat(43)}`,
      `PATCH ${HUB}${LOCATION} Roost-Session ${'2'.repeat(43)}`,
    ]);
  });
});
