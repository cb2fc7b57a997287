import { createHash, randomBytes } from 'node:crypto';

/**
 * Tickets and sessions that let a device's HTTP requests act as that device (appendix F.2). A ready
 * WebSocket connection asks for a ticket; the ticket, posted once, opens a session. Both live in memory
 * only: after a restart every file request gets 401 and the client asks for a new ticket.
 * Secrets are kept by their SHA-256, so a lookup's timing says nothing about a stored secret's bytes.
 */

export type FileGrant = { deviceId: string; userId: string };
export type FileSession = FileGrant & { expiresAt: number };

export const TICKET_TTL_MS = 60_000;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSIONS_PER_DEVICE = 4;
/** Tickets asked for and not used, per device: more than a client needs, few enough to bound memory. */
const TICKETS_PER_DEVICE = 8;

/** One-time tickets: base64url of 32 random bytes (43 characters), valid 60 s, bound to the device. */
export class FileTickets {
  private readonly tickets = new Map<string, FileSession>();

  constructor(private readonly options: { now: () => number; ttlMs?: number }) {}

  issue(deviceId: string, userId: string): { ticket: string; expiresAt: number } {
    const now = this.options.now();
    const mine = dropExpired(this.tickets, now).filter(([, t]) => t.deviceId === deviceId);
    for (const [key] of mine.slice(0, Math.max(0, mine.length - TICKETS_PER_DEVICE + 1))) this.tickets.delete(key);
    const ticket = newSecret();
    const expiresAt = now + (this.options.ttlMs ?? TICKET_TTL_MS);
    this.tickets.set(keyOf(ticket), { deviceId, userId, expiresAt });
    return { ticket, expiresAt };
  }

  /** The device and user a ticket was issued to, once; undefined when unknown, used or expired. */
  consume(ticket: string): FileGrant | undefined {
    const key = keyOf(ticket);
    const found = this.tickets.get(key);
    this.tickets.delete(key);
    if (!found || found.expiresAt <= this.options.now()) return undefined;
    return { deviceId: found.deviceId, userId: found.userId };
  }

  dropDevice(deviceId: string): void {
    for (const [key, t] of this.tickets) if (t.deviceId === deviceId) this.tickets.delete(key);
  }
}

/** What a file request in flight is cut with when its device is removed. */
export type Cuttable = { destroy(): void; once(event: 'close', listener: () => void): unknown };

/** File sessions: 12 h, at most 4 per device (the oldest goes), and the requests in flight per device. */
export class FileSessions {
  private readonly sessions = new Map<string, FileSession>();
  private readonly inFlight = new Map<string, Set<Cuttable>>();

  constructor(private readonly options: { now: () => number; ttlMs?: number; maxPerDevice?: number }) {}

  /** How long a session lives (the cookie's Max-Age). */
  get ttlMs(): number {
    return this.options.ttlMs ?? SESSION_TTL_MS;
  }

  create(deviceId: string, userId: string): { session: string; expiresAt: number } {
    const now = this.options.now();
    const mine = dropExpired(this.sessions, now).filter(([, s]) => s.deviceId === deviceId);
    const max = this.options.maxPerDevice ?? SESSIONS_PER_DEVICE;
    // Oldest first: Map keeps insertion order.
    for (const [key] of mine.slice(0, Math.max(0, mine.length - max + 1))) this.sessions.delete(key);
    const session = newSecret();
    const expiresAt = now + this.ttlMs;
    this.sessions.set(keyOf(session), { deviceId, userId, expiresAt });
    return { session, expiresAt };
  }

  lookup(session: string): FileSession | undefined {
    const key = keyOf(session);
    const found = this.sessions.get(key);
    if (!found) return undefined;
    if (found.expiresAt > this.options.now()) return found;
    this.sessions.delete(key);
    return undefined;
  }

  /** Registers a request in flight for its device until it closes; returns how to forget it sooner. */
  track(deviceId: string, request: Cuttable): () => void {
    let set = this.inFlight.get(deviceId);
    if (!set) this.inFlight.set(deviceId, (set = new Set()));
    set.add(request);
    const forget = () => {
      set.delete(request);
      if (set.size === 0 && this.inFlight.get(deviceId) === set) this.inFlight.delete(deviceId);
    };
    request.once('close', forget);
    return forget;
  }

  /** A removed device: its sessions end and its file requests in flight are cut, at once. */
  dropDevice(deviceId: string): void {
    for (const [key, s] of this.sessions) if (s.deviceId === deviceId) this.sessions.delete(key);
    const requests = this.inFlight.get(deviceId);
    this.inFlight.delete(deviceId);
    for (const request of requests ?? []) request.destroy();
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function keyOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Deletes expired entries; returns the rest, oldest first. */
function dropExpired(map: Map<string, FileSession>, now: number): Array<[string, FileSession]> {
  const kept: Array<[string, FileSession]> = [];
  for (const [key, value] of map) {
    if (value.expiresAt <= now) map.delete(key);
    else kept.push([key, value]);
  }
  return kept;
}
