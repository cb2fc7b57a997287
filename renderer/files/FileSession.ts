import { z } from 'zod';
import { FILE_SESSION_PATH } from '../../shared/protocol';
import { fileErrorOfResponse, FileTransferError, isSessionInvalid } from './fileErrors';

/** Asks the hub, over the device's authenticated WebSocket, for a one-time ticket (RoostClient.openFileSession). */
export type TicketSource = () => Promise<{ ticket: string }>;

/** The answer to `POST /api/files/session` with `Roost-Session: header` (appendix F.2). */
const HeaderSessionSchema = z.object({ session: z.string().regex(/^[A-Za-z0-9_-]{43}$/), expiresAt: z.number() });

/**
 * The page's session for /api/files (appendix F.2): a ticket from the WebSocket, traded at POST /api/files/session.
 * One exchange at a time; a hub that restarted, or a session that expired, answers 401 FILE_SESSION_INVALID, and
 * `renew` gets a new one. Two ways to hold it:
 *
 * - Served by the hub (`hubOrigin` undefined): an HttpOnly cookie that every later files request (uploads, <img>,
 *   download links) carries by itself.
 * - The desktop window (`hubOrigin`: the hub's https origin; the page is app://roost): the cookie never crosses
 *   origins, so the session comes in the body and goes in an Authorization header. It is kept in this object only:
 *   never in storage, never in a URL.
 */
export class FileSession {
  private current: Promise<void> | undefined;
  /** A renewal in flight: uploads that all hear 401 at once (the hub restarted) share it, not one each. */
  private renewing: Promise<void> | undefined;
  /** Header mode only: the session the hub gave, in memory. */
  private secret: string | undefined;

  constructor(
    private readonly openTicket: TicketSource,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    readonly hubOrigin?: string,
  ) {}

  /** Resolves once a session is held; the first call (or the first after a failure) opens one. */
  ensure(): Promise<void> {
    this.current ??= this.open().catch((err: unknown) => {
      this.current = undefined;
      throw err;
    });
    return this.current;
  }

  /** Drops the session this device believes it has and opens a new one (shared by everyone waiting). */
  renew(): Promise<void> {
    if (this.renewing) return this.renewing;
    this.current = undefined;
    const renewing = this.ensure().finally(() => (this.renewing = undefined));
    this.renewing = renewing;
    return renewing;
  }

  /** Where a files path is: on this page's origin (the cookie's), or on the hub's. */
  url(path: string): string {
    return this.hubOrigin === undefined ? path : new URL(path, this.hubOrigin).href;
  }

  /** What a request adds to carry the session: nothing with the cookie, else its Authorization header. */
  authorization(): Record<string, string> {
    if (this.hubOrigin === undefined || this.secret === undefined) return {};
    return { Authorization: `Roost-Session ${this.secret}` };
  }

  /** A files request, with the session opened first and renewed once if the hub no longer knows it. */
  async fetch(input: string, init?: RequestInit): Promise<Response> {
    await this.ensure();
    const first = await this.send(input, init);
    if (first.status !== 401) return first;
    if (!isSessionInvalid(await fileErrorOfResponse(first.clone()))) return first;
    await this.renew();
    return this.send(input, init);
  }

  /** A file's bytes (a download), or the hub's refusal as a FileTransferError. Bound: passed around as is. */
  readonly fetchBlob = async (path: string, signal?: AbortSignal): Promise<Blob> => {
    const response = await this.fetch(path, signal ? { signal } : {});
    if (!response.ok) throw await fileErrorOfResponse(response);
    return response.blob();
  };

  private send(input: string, init?: RequestInit): Promise<Response> {
    if (this.hubOrigin === undefined) return this.fetchImpl(input, { credentials: 'same-origin', ...init });
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(this.authorization())) headers.set(name, value);
    // No cookie ever goes to another origin: the session is the header.
    return this.fetchImpl(this.url(input), { ...init, headers, credentials: 'omit' });
  }

  private async open(): Promise<void> {
    const { ticket } = await this.openTicket();
    if (this.hubOrigin === undefined) {
      const response = await this.fetchImpl(FILE_SESSION_PATH, {
        method: 'POST',
        headers: { 'Roost-Ticket': ticket },
        credentials: 'same-origin',
      });
      if (!response.ok) throw await fileErrorOfResponse(response);
      return;
    }
    const response = await this.fetchImpl(this.url(FILE_SESSION_PATH), {
      method: 'POST',
      headers: { 'Roost-Ticket': ticket, 'Roost-Session': 'header' },
      credentials: 'omit',
    });
    if (!response.ok) throw await fileErrorOfResponse(response);
    const parsed = HeaderSessionSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new FileTransferError('BAD_SESSION', 'The hub opened a file session Roost cannot read.');
    this.secret = parsed.data.session;
  }
}
