import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ServerRequestSchema, type ServerReply, type ServerRequest } from '../ipc/messages';
import { serveRequests } from '../ipc/serveRequests';
import { HOST } from '../servers/RunningServer';
import { mainThreadCpuMicros } from '../servers/threadCpu';
import { selfSignedContext } from '../servers/tlsContext';

const NAME = /^\/files\/([a-z0-9-]{1,64})$/;

/**
 * The peer the hub's file transfers are measured against: `peerServerMain <dir>`, a plain Node HTTPS server
 * with the TLS the hub serves (tlsContext.ts), doing the least a careful server does. `PUT /files/NAME`
 * streams the body to `<dir>/NAME`, hashing it (SHA-256) on the way, fsyncs once at the end and answers the
 * hash; `GET /files/NAME` serves the file back with fs.createReadStream. Answers the orchestrator's `cpu`
 * and `stop` like the servers under test.
 */
async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: peerServerMain <dir>');
  const started = performance.now();
  // No whole-request limit, as the hub has none (Node's default of 300 s would cut a slow 1 GiB upload).
  const server = createServer({ ...(await selfSignedContext()), requestTimeout: 0 }, (req, res) => {
    handle(dir, req, res).catch((err: unknown) => {
      console.error('peer file server:', err);
      if (res.headersSent) return void res.destroy();
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  serveRequests<ServerRequest, ServerReply>(ServerRequestSchema, async (request) => {
    switch (request.type) {
      case 'cpu': {
        const usage = process.cpuUsage();
        return { type: 'cpu', micros: usage.user + usage.system, mainThreadMicros: mainThreadCpuMicros() };
      }
      case 'stop':
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        setImmediate(() => process.exit(0));
        return { type: 'stopped' };
      default:
        throw new Error(`the peer file server does not answer ${request.type}`);
    }
  });
  const port = (server.address() as AddressInfo).port;
  process.send?.({ id: 0, type: 'started', port, startMs: performance.now() - started });
}

async function handle(dir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = NAME.exec(req.url ?? '')?.[1];
  if (!name) return void res.writeHead(404).end();
  const file = path.join(dir, name);
  if (req.method === 'PUT') return receive(file, req, res);
  if (req.method === 'GET') return serve(file, res);
  res.writeHead(405, { Allow: 'GET, PUT' }).end();
}

async function receive(file: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    req,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    // flush: fsync once, before the file is closed (and before pipeline resolves).
    createWriteStream(file, { flush: true }),
  );
  const body = JSON.stringify({ bytes, sha256: hash.digest('hex') });
  res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

async function serve(file: string, res: ServerResponse): Promise<void> {
  const { size } = await stat(file);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
  try {
    await pipeline(createReadStream(file), res);
  } catch {
    // The client went away (a keep-alive agent destroyed once it had every byte): nothing to answer, as on the hub.
  }
}

main().catch((err: unknown) => {
  console.error('peer file server failed:', err);
  process.exit(1);
});
