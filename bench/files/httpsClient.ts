import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import type { Readable } from 'node:stream';
import { HOST } from '../servers/RunningServer';

/**
 * HTTPS to a server on loopback, as the hub and the peer serve it (TLS 1.3, a self-signed P-256 certificate).
 * The certificate is not checked: both servers are this benchmark's own children, and the hub's identity is
 * proven on the WebSocket that opens its file sessions. Keep-alive, as browsers and tus-js-client reuse
 * connections; `maxSockets` is how many requests run at once.
 */
export function loopbackAgent(maxSockets = 1): Agent {
  return new Agent({ keepAlive: true, maxSockets, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
}

export type HttpsCall = {
  agent: Agent;
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  /** Streamed (a file's range) or whole. */
  body?: Buffer | Readable;
  /** Aborts the request (and rejects) when it fires: every transfer is bounded. */
  signal: AbortSignal;
};

export type HttpsAnswer = { status: number; headers: IncomingHttpHeaders; text: string };

/** One request whose answer is small (JSON, or none): resolves with all of it. */
export async function httpsCall(call: HttpsCall): Promise<HttpsAnswer> {
  const res = await send(call);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * A GET whose body is hashed as it arrives and dropped, never held whole: the client's cost is the same
 * for every server, and the hash proves the bytes.
 */
export async function downloadHashed(
  call: Omit<HttpsCall, 'method' | 'body'>,
): Promise<{ status: number; bytes: number; sha256: string; contentType?: string }> {
  const res = await send({ ...call, method: 'GET' });
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of res) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex'), contentType: res.headers['content-type'] };
}

function send(call: HttpsCall): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: HOST,
        port: call.port,
        method: call.method,
        path: call.path,
        headers: call.headers,
        agent: call.agent,
        signal: call.signal,
      },
      resolve,
    );
    req.on('error', reject);
    const body = call.body;
    if (body === undefined || Buffer.isBuffer(body)) return void req.end(body);
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}
