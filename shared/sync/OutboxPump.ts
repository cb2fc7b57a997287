import {
  AttachmentsSchema,
  attachmentToWire,
  ErrorCode,
  fitsTextLength,
  isBlank,
  LIMITS,
  textLength,
  type Attachment,
  type ClientFrameInputOf,
  type MessageWire,
  type ServerFrameOf,
} from '../protocol';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { RoostState } from './clientState';
import { ClientErrorCode, RoostError } from './errors';
import * as box from './outbox';
import type { Requests } from './Requests';

export type OutboxOptions = {
  randomId: () => string;
  maxInFlight: number;
  /** Delays before resending after STORAGE_FAILED or INTERNAL (the reconnect delays). */
  backoff: BackoffOptions;
  random: () => number;
};

/**
 * What ClientCore does after an outbox change, in this order: put `outbox`
 * into the state, write `save` to storage and delete `remove` from it, merge
 * `delivered` into its timeline, wait `retryInMs` before sending again, and,
 * if `pump`, send what may be sent now (a slot in flight opened).
 */
export type OutboxStep = {
  readonly outbox: box.Outbox;
  readonly save?: box.OutboxEntry;
  readonly remove?: readonly string[];
  readonly delivered?: MessageWire;
  readonly retryInMs?: number;
  readonly pump?: boolean;
};

export type SendFrame = ClientFrameInputOf<'send'>;

/** Errors after which the same message may well succeed later. */
const TRANSIENT: ReadonlySet<string> = new Set([ErrorCode.STORAGE_FAILED, ErrorCode.INTERNAL]);

/**
 * Sends own messages reliably: each is stored before the first attempt, sent
 * in order with a bounded number in flight, and resent after every reconnect
 * until acknowledged (the hub recognises resends by clientMsgId). The outbox
 * itself is part of the state, which only ClientCore changes: every method
 * here takes it and returns what should happen. Kept here is only what the
 * state does not show: which rid carries which message, and the retry wait.
 */
export class OutboxPump {
  private readonly rids = new Map<string, string>();
  private waitingToRetry = false;
  private transientFailures = 0;

  constructor(
    private readonly requests: Requests,
    private readonly options: OutboxOptions,
  ) {}

  /**
   * A new entry for `text` and the outbox with it queued; throws RoostError
   * INVALID_INPUT for what the hub would refuse. It is sent once stored.
   */
  compose(
    state: RoostState,
    conversationId: string,
    text: string,
    now: number,
    attachments?: readonly Attachment[],
    chosenId?: string,
  ): { outbox: box.Outbox; entry: box.OutboxEntry } {
    const files = attachments?.length ? checkAttachments(attachments) : undefined;
    if (!files && isBlank(text)) throw new RoostError(ClientErrorCode.INVALID_INPUT, 'A message must not be blank.');
    // Code points, as the hub counts (shared/protocol/textLength.ts): an emoji is one character.
    if (!fitsTextLength(text, LIMITS.maxTextLength)) {
      throw new RoostError(
        ClientErrorCode.INVALID_INPUT,
        `A message may be at most ${LIMITS.maxTextLength} characters; this one has ${textLength(text)}.`,
      );
    }
    if (!state.conversations[conversationId])
      throw new RoostError(ClientErrorCode.INVALID_INPUT, `No conversation "${conversationId}".`);
    const clientMsgId = chosenId ?? this.options.randomId();
    if (!box.isValidClientMsgId(clientMsgId))
      throw new RoostError(ClientErrorCode.INVALID_INPUT, `"${clientMsgId}" is not 8-64 of A-Z a-z 0-9 _ -.`);
    // The same id again (a caller resending after a crash): the entry queued the first time stands.
    const queued = box.find(state.outbox, clientMsgId);
    if (queued) return { outbox: state.outbox, entry: queued };
    const entry = box.newEntry({
      clientMsgId,
      conversationId,
      text,
      ...(files ? { attachments: files } : {}),
      createdAt: now,
      order: box.nextOrder(state.outbox),
    });
    return { outbox: box.enqueue(state.outbox, entry), entry };
  }

  /** What may be sent now, marked as sending, with its frames; nothing while a retry wait runs. */
  take(state: RoostState): { outbox: box.Outbox; frames: SendFrame[] } {
    if (this.waitingToRetry) return { outbox: state.outbox, frames: [] };
    // A conversation still catching up may hold this device's own earlier attempt: resending
    // before seeing it could store it twice if it fell out of the hub's dedup window (PROTOCOL 7.3).
    const { outbox, toSend } = box.takeSendable(
      state.outbox,
      this.options.maxInFlight,
      (id) => state.conversations[id]?.syncing === true,
    );
    const frames = toSend.map((e): SendFrame => {
      const rid = this.requests.newRid('s');
      this.rids.set(rid, e.clientMsgId);
      const frame: SendFrame = {
        type: 'send',
        rid,
        conversationId: e.conversationId,
        clientMsgId: e.clientMsgId,
        text: e.text,
      };
      return e.attachments ? { ...frame, attachments: [...e.attachments] } : frame;
    });
    return { outbox, frames };
  }

  /** The hub has the message (`duplicate` acks too); undefined if the ack is not for an outbox entry. */
  acked(state: RoostState, ack: ServerFrameOf<'ack'>): OutboxStep | undefined {
    if (ack.rid !== undefined) this.rids.delete(ack.rid);
    const entry = box.find(state.outbox, ack.clientMsgId);
    const self = state.self;
    if (!entry || !self || entry.conversationId !== ack.conversationId) return undefined;
    this.transientFailures = 0;
    return {
      outbox: box.remove(state.outbox, entry.clientMsgId),
      remove: [entry.clientMsgId],
      delivered: {
        conversationId: entry.conversationId,
        seq: ack.seq,
        clientMsgId: entry.clientMsgId,
        senderUserId: self.userId,
        senderDeviceId: self.deviceId,
        sentAt: ack.sentAt,
        text: entry.text,
        ...(entry.attachments ? { attachments: entry.attachments.map(attachmentToWire) } : {}),
      },
      pump: true,
    };
  }

  /** The hub refused a send; undefined if the error answered something else. */
  refused(outbox: box.Outbox, error: ServerFrameOf<'error'>): OutboxStep | undefined {
    if (error.rid === undefined) return undefined;
    const clientMsgId = this.rids.get(error.rid);
    if (clientMsgId === undefined) return undefined;
    this.rids.delete(error.rid);
    if (!box.find(outbox, clientMsgId)) return { outbox };
    if (TRANSIENT.has(error.code))
      return { outbox: box.failTransient(outbox, clientMsgId, error.code), retryInMs: this.startRetryWait() };
    const failed = box.failPermanent(outbox, clientMsgId, error.code);
    return { outbox: failed, save: box.find(failed, clientMsgId), pump: true };
  }

  /** The retry wait is over: take() sends again. */
  retryDue(): void {
    this.waitingToRetry = false;
  }

  /**
   * Own messages that reached the timeline another way (a catch-up after a
   * lost ack) need no resend: same user, clientMsgId and conversation (docs/PROTOCOL.md 7.3).
   */
  seen(state: RoostState, messages: readonly MessageWire[]): OutboxStep | undefined {
    const userId = state.self?.userId;
    let outbox = state.outbox;
    const remove: string[] = [];
    for (const m of messages) {
      if (m.senderUserId !== userId || box.find(outbox, m.clientMsgId)?.conversationId !== m.conversationId) continue;
      outbox = box.remove(outbox, m.clientMsgId);
      remove.push(m.clientMsgId);
    }
    return remove.length === 0 ? undefined : { outbox, remove };
  }

  /** Nothing is in flight any more: everything unacknowledged goes again on the next connection. */
  disconnected(outbox: box.Outbox): OutboxStep {
    this.rids.clear();
    return { outbox: box.requeueSending(outbox) };
  }

  /** Queues a message the hub refused for good (status 'failed') again. */
  retry(outbox: box.Outbox, clientMsgId: string): OutboxStep {
    const next = box.retry(outbox, clientMsgId);
    return { outbox: next, save: box.find(next, clientMsgId), pump: true };
  }

  /**
   * Drops a queued or failed message. One in flight cannot be taken back (the
   * hub may already have it), so that gives undefined.
   */
  discard(outbox: box.Outbox, clientMsgId: string): OutboxStep | undefined {
    const entry = box.find(outbox, clientMsgId);
    if (!entry || entry.status === 'sending') return undefined;
    return { outbox: box.remove(outbox, clientMsgId), remove: [clientMsgId] };
  }

  /** Forgets the bookkeeping (stopped, or the device was unpaired). */
  reset(): void {
    this.rids.clear();
    this.waitingToRetry = false;
    this.transientFailures = 0;
  }

  /** The delay before sending again; later messages wait too, so order is kept. Undefined if a wait runs already. */
  private startRetryWait(): number | undefined {
    if (this.waitingToRetry) return undefined;
    this.waitingToRetry = true;
    const delay = backoffDelay(this.transientFailures++, this.options.backoff, this.options.random);
    return Math.max(delay, this.options.backoff.baseMs / 2);
  }
}

/** The files as the hub checks them (PROTOCOL.md appendix F); RoostError INVALID_INPUT otherwise. */
function checkAttachments(attachments: readonly Attachment[]): Attachment[] {
  const checked = AttachmentsSchema.safeParse(attachments);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const where = issue?.path.join('.') ?? '';
  throw new RoostError(ClientErrorCode.INVALID_INPUT, `Attachment ${where}: ${issue?.message ?? 'invalid'}.`);
}
