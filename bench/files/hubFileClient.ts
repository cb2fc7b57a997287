import { createReadStream } from 'node:fs';
import type { Agent } from 'node:https';
import { z } from 'zod';
import {
  AckSchema,
  FILE_SESSION_PATH,
  FILE_UPLOADS_PATH,
  FileTicketSchema,
  MessagesSchema,
  ReadySchema,
  UPLOAD_ID_PATTERN,
  type Attachment,
  type ServerFrameOf,
} from '../../shared/protocol';
import { describeSchemaError } from '../../shared/util/schemaError';
import type { Credentials } from '../ipc/messages';
import { RoostClient } from '../loadgen/RoostClient';
import { httpsCall, type HttpsAnswer } from './httpsClient';
import { within } from './within';

/** Every tus request but OPTIONS names the version (appendix F.3). */
const TUS = { 'Tus-Resumable': '1.0.0' } as const;
/** No frame's answer may take longer: a hub that stops answering fails the run instead of hanging it. */
const ANSWER_MS = 30_000;
/** The answer to a session POST with `Roost-Session: header` (appendix F.2). */
const SessionAnswerSchema = z.object({ session: z.string(), expiresAt: z.number() });

/**
 * A paired device of the hub under test, as a native client is: an authenticated WebSocket over TLS (the hub's
 * identity proof checked against `identity`), file sessions traded for tickets on it (appendix F.2), tus
 * uploads and `send` with attachments. Every answer is validated with the protocol's own schemas.
 */
export class HubFileClient {
  private nextMsg = 1;

  private constructor(
    private readonly client: RoostClient,
    readonly ready: ServerFrameOf<'ready'>,
    readonly port: number,
  ) {}

  static async connect(port: number, identity: string, device: Credentials): Promise<HubFileClient> {
    return (await HubFileClient.prepare(port, identity, device)).authenticate();
  }

  /**
   * Connected, greeted and `auth` signed, not sent: `authenticate` only sends it and waits for `ready`, so a
   * timed catch-up starts at `auth` (the device's signing is the client's cost, the hub's check is timed).
   */
  static async prepare(
    port: number,
    identity: string,
    device: Credentials,
  ): Promise<{ authenticate(): Promise<HubFileClient>; close(): void }> {
    const client = await within(ANSWER_MS, 'welcome', RoostClient.connect({ port, tls: { pin: identity } }));
    const auth = await client.authFrame(device);
    return {
      authenticate: async () => {
        const ready = await within(ANSWER_MS, 'ready', client.request(auth));
        return new HubFileClient(client, parse(ReadySchema, ready, 'ready'), port);
      },
      close: () => client.close(),
    };
  }

  /** A file session as a native client gets one: a ticket on the WebSocket, then POST with `Roost-Session: header`. */
  async openSession(agent: Agent, signal: AbortSignal): Promise<string> {
    const { ticket } = parse(FileTicketSchema, await this.ask({ type: 'openFileSession' }), 'fileTicket');
    const answer = await httpsCall({
      agent,
      port: this.port,
      method: 'POST',
      path: FILE_SESSION_PATH,
      headers: { 'Roost-Ticket': ticket, 'Roost-Session': 'header' },
      signal,
    });
    expectStatus(answer, 200, 'POST /api/files/session');
    return parse(SessionAnswerSchema, JSON.parse(answer.text), 'a file session').session;
  }

  /**
   * tus as the web client sends it (tus-js-client with chunkSize 16 MiB): POST, then one PATCH per chunk, each
   * sent after the previous one's 204, on one keep-alive connection. The bytes come from `file` (a range per
   * PATCH, streamed) or from memory. Resolves with the upload id.
   */
  async upload(
    o: { agent: Agent; session: string; signal: AbortSignal; chunkBytes: number },
    source: { file: string; size: number } | Buffer,
  ): Promise<string> {
    const size = Buffer.isBuffer(source) ? source.length : source.size;
    const auth = { ...TUS, Authorization: `Roost-Session ${o.session}` };
    const call = { agent: o.agent, port: this.port, signal: o.signal };
    const created = await httpsCall({
      ...call,
      method: 'POST',
      path: FILE_UPLOADS_PATH,
      headers: { ...auth, 'Upload-Length': size },
    });
    expectStatus(created, 201, 'tus POST');
    const uploadId = String(created.headers.location).split('/').pop() ?? '';
    if (!UPLOAD_ID_PATTERN.test(uploadId)) throw new Error(`tus POST: bad Location ${created.headers.location}`);
    for (let offset = 0; offset < size; offset += o.chunkBytes) {
      const end = Math.min(size, offset + o.chunkBytes);
      const body = Buffer.isBuffer(source)
        ? source.subarray(offset, end)
        : createReadStream(source.file, { start: offset, end: end - 1 });
      const patched = await httpsCall({
        ...call,
        method: 'PATCH',
        path: `${FILE_UPLOADS_PATH}/${uploadId}`,
        headers: {
          ...auth,
          'Upload-Offset': offset,
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': end - offset,
        },
        body,
      });
      expectStatus(patched, 204, `tus PATCH at ${offset}`);
      const answered = String(patched.headers['upload-offset']);
      if (answered !== String(end))
        throw new Error(`tus PATCH at ${offset}: Upload-Offset ${answered}, expected ${end}`);
    }
    return uploadId;
  }

  /** `send` with files and no text; resolves with the message's seq once the hub's ack says it is durable. */
  async send(conversationId: string, attachments: Attachment[]): Promise<number> {
    const clientMsgId = `bench-file-${this.nextMsg++}`.padEnd(8, '0');
    const ack = await this.ask({ type: 'send', conversationId, clientMsgId, text: '', attachments });
    return parse(AckSchema, ack, `ack of ${clientMsgId}`).seq;
  }

  /** Forward pages after `cursor` until the last, each checked for gaps, as a client catching up does (8.4). */
  async catchUp(
    conversationId: string,
    cursor: number,
    pageSize: number,
  ): Promise<ServerFrameOf<'messages'>['messages']> {
    const messages: ServerFrameOf<'messages'>['messages'] = [];
    for (;;) {
      const answer = await this.ask({
        type: 'fetchMessages',
        conversationId,
        direction: 'forward',
        cursor,
        limit: pageSize,
      });
      const page = parse(MessagesSchema, answer, 'messages');
      for (const m of page.messages) {
        if (m.seq !== cursor + 1) throw new Error(`gap in catch-up: expected seq ${cursor + 1}, got ${m.seq}`);
        cursor = m.seq;
        messages.push(m);
      }
      if (!page.hasMore) return messages;
    }
  }

  close(): void {
    this.client.close();
  }

  private ask(frame: { type: string } & Record<string, unknown>): Promise<unknown> {
    return within(ANSWER_MS, `the answer to ${frame.type}`, this.client.request(frame));
  }
}

function parse<T>(schema: z.ZodType<T>, frame: unknown, what: string): T {
  const parsed = schema.safeParse(frame);
  if (parsed.success) return parsed.data;
  const text = JSON.stringify(frame).slice(0, 300);
  throw new Error(`expected ${what}, got ${text} (${describeSchemaError(parsed.error)})`);
}

function expectStatus(answer: HttpsAnswer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
}
