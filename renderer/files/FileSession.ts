import { FILE_SESSION_PATH } from '../../shared/protocol';
import { fileErrorOfResponse, isSessionInvalid } from './fileErrors';

/** Asks the hub, over the device's authenticated WebSocket, for a one-time ticket (RoostClient.openFileSession). */
export type TicketSource = () => Promise<{ ticket: string }>;

/**
 * The browser's session for /api/files (appendix F.2): a ticket from the WebSocket, traded at
 * POST /api/files/session for an HttpOnly cookie that every later files request (uploads, <img>, download
 * links) carries by itself. One exchange at a time; a hub that restarted, or a session that expired, answers
 * 401 FILE_SESSION_INVALID, and `renew` gets a new one.
 */
export class FileSession {
  private current: Promise<void> | undefined;

  constructor(
    private readonly openTicket: TicketSource,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** Resolves once a session cookie is set; the first call (or the first after a failure) opens one. */
  ensure(): Promise<void> {
    this.current ??= this.open().catch((err: unknown) => {
      this.current = undefined;
      throw err;
    });
    return this.current;
  }

  /** Drops the session this device believes it has and opens a new one (shared by everyone waiting). */
  renew(): Promise<void> {
    this.current = undefined;
    return this.ensure();
  }

  /** A files request, with the session opened first and renewed once if the hub no longer knows it. */
  async fetch(input: string, init?: RequestInit): Promise<Response> {
    await this.ensure();
    const first = await this.fetchImpl(input, { credentials: 'same-origin', ...init });
    if (first.status !== 401) return first;
    if (!isSessionInvalid(await fileErrorOfResponse(first.clone()))) return first;
    await this.renew();
    return this.fetchImpl(input, { credentials: 'same-origin', ...init });
  }

  private async open(): Promise<void> {
    const { ticket } = await this.openTicket();
    const response = await this.fetchImpl(FILE_SESSION_PATH, {
      method: 'POST',
      headers: { 'Roost-Ticket': ticket },
      credentials: 'same-origin',
    });
    if (!response.ok) throw await fileErrorOfResponse(response);
  }
}
