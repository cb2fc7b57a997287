import { once } from 'node:events';
import { watch } from 'node:fs';
import { stat, statfs } from 'node:fs/promises';
import { connect } from 'node:net';
import { expect } from 'vitest';
import { FILE_SESSION_PATH, FILE_UPLOADS_PATH, type Attachment } from '../../../shared/protocol';
import type { TestClient } from '../testing/TestClient';
import { send, tusHeaders, type Answer } from './fileServerTestSupport';
import { sha256Hex } from './fileTestSupport';

/**
 * For tests of files through a real hub (or a hub process): a device's file session, tus requests, a PATCH
 * whose body the test writes piece by piece on a raw socket, and waiting on the disk for an upload's part.
 */

/** A file session for a device, as a native client gets one: a ticket over its WebSocket, then the POST. */
export async function fileSessionOf(port: number, client: TestClient): Promise<string> {
  const { ticket } = await client.expect({ type: 'openFileSession' }, 'fileTicket');
  const answer = await send(port, {
    method: 'POST',
    path: FILE_SESSION_PATH,
    headers: { 'Roost-Ticket': ticket, 'Roost-Session': 'header' },
  });
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.text) as { session: string }).session;
}

/** POST of a new upload of `length` bytes: the hub's whole answer (201, or a refusal). */
export function postUpload(port: number, session: string, length: number): Promise<Answer> {
  return send(port, {
    method: 'POST',
    path: FILE_UPLOADS_PATH,
    headers: tusHeaders(session, { 'Upload-Length': length }),
  });
}

export function uploadIdOf(created: Answer): string {
  expect(created.status).toBe(201);
  return String(created.headers.location).split('/').pop() ?? '';
}

/** HEAD of an upload: its status, and its offset when the hub gave one. */
export async function headUpload(
  port: number,
  session: string,
  uploadId: string,
): Promise<{ status: number; offset?: number; length?: number }> {
  const answer = await send(port, {
    method: 'HEAD',
    path: `${FILE_UPLOADS_PATH}/${uploadId}`,
    headers: tusHeaders(session),
  });
  const number = (header: string | string[] | undefined) => (header === undefined ? undefined : Number(header));
  return {
    status: answer.status,
    offset: number(answer.headers['upload-offset']),
    length: number(answer.headers['upload-length']),
  };
}

/** A PATCH of `bytes` at `offset`, in one request through node:http. */
export function patchUpload(port: number, session: string, uploadId: string, offset: number, bytes: Buffer) {
  return send(port, {
    method: 'PATCH',
    path: `${FILE_UPLOADS_PATH}/${uploadId}`,
    headers: tusHeaders(session, {
      'Upload-Offset': offset,
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': bytes.length,
    }),
    body: bytes,
  });
}

export function deleteUpload(port: number, session: string, uploadId: string): Promise<Answer> {
  return send(port, { method: 'DELETE', path: `${FILE_UPLOADS_PATH}/${uploadId}`, headers: tusHeaders(session) });
}

export function downloadFile(port: number, session: string, where: string): Promise<Answer> {
  return send(port, { method: 'GET', path: where, headers: { Authorization: `Roost-Session ${session}` } });
}

/** The code of a file endpoint's JSON error; what came instead, when it is not one (for the failure's message). */
export function fileErrorCode(answer: Pick<Answer, 'text'>): string {
  try {
    return (JSON.parse(answer.text) as { error: { code: string } }).error.code;
  } catch {
    return `not a JSON error: "${answer.text.slice(0, 100)}"`;
  }
}

/** Uploads `bytes` whole (POST, one PATCH) and returns what `send` names them by, as `type`. */
export async function uploadWhole(
  port: number,
  session: string,
  bytes: Buffer,
  name = 'report.pdf',
  type = 'application/pdf',
): Promise<Attachment> {
  const uploadId = uploadIdOf(await postUpload(port, session, bytes.length));
  expect((await patchUpload(port, session, uploadId, 0, bytes)).status).toBe(204);
  return { uploadId, sha256: sha256Hex(bytes), name, size: bytes.length, type };
}

export function attachmentOf(uploadId: string, bytes: Buffer, name = 'video.bin'): Attachment {
  return { uploadId, sha256: sha256Hex(bytes), name, size: bytes.length, type: 'application/octet-stream' };
}

/** The status line, headers and body of an HTTP answer read off a raw socket. */
export type RawAnswer = { status: number; headers: Record<string, string>; text: string };

export type OpenPatch = {
  /** Writes bytes of the body; resolves once they are handed to the kernel (or the socket is gone). */
  write(bytes: Buffer): Promise<void>;
  /** The hub's answer; undefined when the connection closed without a whole one (the hub died, say). */
  answer: Promise<RawAnswer | undefined>;
  destroy(): void;
};

/**
 * Starts a PATCH on its own TCP connection, declaring `contentLength` bytes of body, and leaves writing the body
 * to the test: a client that stops mid-body stays mid-body. Read errors are ignored: a hub that refuses a
 * body it did not read closes the connection, and the answer it sent before is read all the same.
 */
export async function openPatch(
  port: number,
  session: string,
  uploadId: string,
  offset: number,
  contentLength: number,
): Promise<OpenPatch> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  let received = Buffer.alloc(0);
  const answer = new Promise<RawAnswer | undefined>((resolve) => {
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const parsed = parseAnswer(received);
      if (!parsed) return;
      resolve(parsed);
      socket.destroy();
    });
    socket.once('close', () => resolve(parseAnswer(received)));
  });
  const head = [
    `PATCH ${FILE_UPLOADS_PATH}/${uploadId} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    ...Object.entries(
      tusHeaders(session, {
        'Upload-Offset': offset,
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': contentLength,
      }),
    ).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  const write = (bytes: Buffer | string) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.write(bytes, () => resolve());
    });
  await write(head);
  return { write, answer, destroy: () => socket.destroy() };
}

/** A whole answer (headers, and a body of its Content-Length), or undefined while it is still arriving. */
function parseAnswer(bytes: Buffer): RawAnswer | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyLength = Number(headers['content-length'] ?? 0);
  if (bytes.length < end + 4 + bodyLength) return undefined;
  const text = bytes.subarray(end + 4, end + 4 + bodyLength).toString('utf8');
  return { status: Number(statusLine.split(' ')[1]), headers, text };
}

/**
 * Resolves with the size of `file` once it holds at least `atLeast` bytes, woken by the file's change events
 * (inotify on Linux); rejects after `deadlineMs`.
 */
export async function waitForFileSize(file: string, atLeast: number, deadlineMs = 10_000): Promise<number> {
  const watcher = watch(file);
  try {
    let changes = 0;
    let wake = () => {};
    watcher.on('change', () => {
      changes += 1;
      wake();
    });
    const deadline = Date.now() + deadlineMs;
    // Bounded by the deadline: each turn waits for a change of the file, or gives up.
    for (;;) {
      const seen = changes;
      // Watching started before this look, and a change during it is counted: none is missed.
      const { size } = await stat(file);
      if (size >= atLeast) return size;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${file} has ${size} bytes after ${deadlineMs} ms, expected ${atLeast}`);
      if (changes !== seen) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    watcher.close();
  }
}

/** Bytes free for an unprivileged writer on the disk holding `dir`, as the hub's file store counts them. */
export async function freeBytesAt(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}
