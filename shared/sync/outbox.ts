import type { Attachment } from '../protocol';
import type { StoredOutboxEntry } from './storage';

/**
 * Messages written on this device that the hub has not acknowledged yet, in
 * the order they were written. Pure functions only.
 *
 *   queued ──send──▶ sending ──ack──▶ (removed; the message joins the timeline)
 *     ▲                 │ connection lost, or a transient error (STORAGE_FAILED, INTERNAL)
 *     └─────────────────┘
 *   sending ──permanent error (NOT_A_MEMBER, …)──▶ failed ──retry()──▶ queued
 */
export type OutboxStatus = 'queued' | 'sending' | 'failed';

export type OutboxEntry = {
  readonly clientMsgId: string;
  readonly conversationId: string;
  readonly text: string;
  /** Uploaded files the message carries (PROTOCOL.md appendix F). */
  readonly attachments?: readonly Attachment[];
  readonly createdAt: number;
  readonly order: number;
  readonly status: OutboxStatus;
  /** The hub's error code from the last failed attempt, if any. */
  readonly lastError: string | undefined;
  /** Times it was handed to the hub on this run of the client. */
  readonly attempts: number;
};

export type Outbox = readonly OutboxEntry[];

const CLIENT_MSG_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** What the protocol accepts as a clientMsgId (8-64 of A-Z a-z 0-9 _ -). */
export function isValidClientMsgId(id: string): boolean {
  return CLIENT_MSG_ID.test(id);
}

export function newEntry(fields: {
  clientMsgId: string;
  conversationId: string;
  text: string;
  attachments?: readonly Attachment[];
  createdAt: number;
  order: number;
}): OutboxEntry {
  return { ...fields, status: 'queued', lastError: undefined, attempts: 0 };
}

export function fromStored(stored: StoredOutboxEntry): OutboxEntry {
  const { failedCode, ...fields } = stored;
  return { ...fields, status: failedCode ? 'failed' : 'queued', lastError: failedCode, attempts: 0 };
}

export function toStored(entry: OutboxEntry): StoredOutboxEntry {
  const { clientMsgId, conversationId, text, createdAt, order } = entry;
  const stored: StoredOutboxEntry = { clientMsgId, conversationId, text, createdAt, order };
  if (entry.attachments) stored.attachments = [...entry.attachments];
  if (entry.status === 'failed' && entry.lastError) stored.failedCode = entry.lastError;
  return stored;
}

/** Adds an entry, keeping the outbox sorted by `order`. */
export function enqueue(outbox: Outbox, entry: OutboxEntry): Outbox {
  if (outbox.some((e) => e.clientMsgId === entry.clientMsgId)) return outbox;
  return [...outbox, entry].sort((a, b) => a.order - b.order);
}

/** Next `order` to hand out. */
export function nextOrder(outbox: Outbox): number {
  return outbox.reduce((max, e) => Math.max(max, e.order), 0) + 1;
}

/**
 * Marks queued entries as sending, oldest first, so that at most
 * `maxInFlight` are unacknowledged at once (the hub allows bursts of 1000
 * frames, and acks pace the rest). Failed entries are skipped: they wait for
 * the user.
 */
export function takeSendable(
  outbox: Outbox,
  maxInFlight: number,
  /** Conversations whose entries must wait (all of them, so their order holds). */
  held: (conversationId: string) => boolean = () => false,
): { outbox: Outbox; toSend: OutboxEntry[] } {
  let inFlight = outbox.filter((e) => e.status === 'sending').length;
  const toSend: OutboxEntry[] = [];
  const next = outbox.map((e) => {
    if (e.status !== 'queued' || inFlight >= maxInFlight || held(e.conversationId)) return e;
    inFlight++;
    const sending: OutboxEntry = { ...e, status: 'sending', attempts: e.attempts + 1 };
    toSend.push(sending);
    return sending;
  });
  return toSend.length === 0 ? { outbox, toSend } : { outbox: next, toSend };
}

export function find(outbox: Outbox, clientMsgId: string): OutboxEntry | undefined {
  return outbox.find((e) => e.clientMsgId === clientMsgId);
}

/** Removes an entry the hub has (acknowledged, or seen in the timeline). */
export function remove(outbox: Outbox, clientMsgId: string): Outbox {
  return outbox.some((e) => e.clientMsgId === clientMsgId)
    ? outbox.filter((e) => e.clientMsgId !== clientMsgId)
    : outbox;
}

/** After the connection is lost nothing is in flight any more: everything unacknowledged is sent again. */
export function requeueSending(outbox: Outbox): Outbox {
  if (!outbox.some((e) => e.status === 'sending')) return outbox;
  return outbox.map((e) => (e.status === 'sending' ? { ...e, status: 'queued' } : e));
}

/** The hub could not take it now; it stays queued and is sent again later. */
export function failTransient(outbox: Outbox, clientMsgId: string, code: string): Outbox {
  return update(outbox, clientMsgId, (e) => ({ ...e, status: 'queued', lastError: code }));
}

/** The hub refused it for good; it waits for the user to retry or discard it. */
export function failPermanent(outbox: Outbox, clientMsgId: string, code: string): Outbox {
  return update(outbox, clientMsgId, (e) => ({ ...e, status: 'failed', lastError: code }));
}

export function retry(outbox: Outbox, clientMsgId: string): Outbox {
  return update(outbox, clientMsgId, (e) => (e.status === 'failed' ? { ...e, status: 'queued' } : e));
}

/** Messages not yet acknowledged, failed ones included. */
export function pendingCount(outbox: Outbox): number {
  return outbox.length;
}

function update(outbox: Outbox, clientMsgId: string, change: (e: OutboxEntry) => OutboxEntry): Outbox {
  return outbox.map((e) => (e.clientMsgId === clientMsgId ? change(e) : e));
}
