import { ErrorCode, LIMITS, type ClientFrameInput, type MessageWire, type ServerFrameOf } from '../protocol';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { RoostState } from './clientState';
import { ClientErrorCode, RoostError } from './errors';
import * as box from './outbox';
import type { ClientStorage } from './storage';
import type { Clock, TimerHandle } from './transport';

export interface OutboxHost {
  readonly clock: Clock;
  readonly storage: ClientStorage;
  state(): RoostState;
  setOutbox(outbox: box.Outbox): void;
  isReady(): boolean;
  sendFrame(frame: ClientFrameInput): boolean;
  newRid(): string;
  persist(what: string, task: () => Promise<void>): Promise<boolean>;
  /** Puts an acknowledged own message into its conversation's timeline. */
  deliverOwn(message: MessageWire): void;
}

export type OutboxOptions = {
  randomId: () => string;
  maxInFlight: number;
  /** Delays before resending after STORAGE_FAILED or INTERNAL. */
  retryBackoff: BackoffOptions;
  random: () => number;
};

/** Errors after which the same message may well succeed later. */
const TRANSIENT: ReadonlySet<string> = new Set([ErrorCode.STORAGE_FAILED, ErrorCode.INTERNAL]);

/**
 * Sends own messages reliably: each is stored before the first attempt, sent
 * in order with a bounded number in flight, and resent after every reconnect
 * until acknowledged (the hub recognises resends by clientMsgId).
 */
export class OutboxPump {
  private readonly rids = new Map<string, string>();
  private retryTimer: TimerHandle | undefined;
  private transientFailures = 0;

  constructor(
    private readonly host: OutboxHost,
    private readonly options: OutboxOptions,
  ) {}

  private get outbox(): box.Outbox {
    return this.host.state().outbox;
  }

  /** Queues a message; resolves with its clientMsgId once it is stored (or storing it failed). */
  async add(conversationId: string, text: string): Promise<string> {
    if (text.trim().length === 0) throw new RoostError(ClientErrorCode.INVALID_INPUT, 'A message must not be blank.');
    if (text.length > LIMITS.maxTextLength) {
      throw new RoostError(
        ClientErrorCode.INVALID_INPUT,
        `A message may be at most ${LIMITS.maxTextLength} characters; this one has ${text.length}.`,
      );
    }
    if (!this.host.state().conversations[conversationId])
      throw new RoostError(ClientErrorCode.INVALID_INPUT, `No conversation "${conversationId}".`);
    const clientMsgId = this.options.randomId();
    if (!box.isValidClientMsgId(clientMsgId))
      throw new RoostError(
        ClientErrorCode.INVALID_INPUT,
        `randomId() returned "${clientMsgId}", which is not 8-64 of A-Z a-z 0-9 _ -.`,
      );
    const entry = box.newEntry({
      clientMsgId,
      conversationId,
      text,
      createdAt: this.host.clock.now(),
      order: box.nextOrder(this.outbox),
    });
    this.host.setOutbox(box.enqueue(this.outbox, entry));
    // Stored before the first attempt, so a crash right after sending cannot lose it. A failed
    // write is reported by persist; the message still goes out from memory.
    await this.host.persist('outbox entry', () => this.host.storage.saveOutboxEntry(box.toStored(entry)));
    this.pump();
    return clientMsgId;
  }

  /** Sends what may be sent now. */
  pump(): void {
    if (!this.host.isReady() || this.retryTimer !== undefined) return;
    // A conversation still catching up may hold this device's own earlier attempt: resending
    // before seeing it could store it twice if it fell out of the hub's dedup window (PROTOCOL 7.3).
    const conversations = this.host.state().conversations;
    const { outbox, toSend } = box.takeSendable(
      this.outbox,
      this.options.maxInFlight,
      (id) => conversations[id]?.syncing === true,
    );
    if (toSend.length === 0) return;
    this.host.setOutbox(outbox);
    for (const e of toSend) {
      const rid = this.host.newRid();
      this.rids.set(rid, e.clientMsgId);
      this.host.sendFrame({
        type: 'send',
        rid,
        conversationId: e.conversationId,
        clientMsgId: e.clientMsgId,
        text: e.text,
      });
    }
  }

  /** True if the ack was for an outbox entry. `duplicate` acks are handled the same: the hub has it. */
  onAck(ack: ServerFrameOf<'ack'>): boolean {
    if (ack.rid !== undefined) this.rids.delete(ack.rid);
    const entry = box.find(this.outbox, ack.clientMsgId);
    const self = this.host.state().self;
    if (!entry || !self || entry.conversationId !== ack.conversationId) return false;
    this.transientFailures = 0;
    this.settle(entry.clientMsgId);
    this.host.deliverOwn({
      conversationId: entry.conversationId,
      seq: ack.seq,
      clientMsgId: entry.clientMsgId,
      senderUserId: self.userId,
      senderDeviceId: self.deviceId,
      sentAt: ack.sentAt,
      text: entry.text,
    });
    this.pump();
    return true;
  }

  /** True if the error answered a send. */
  onError(error: ServerFrameOf<'error'>): boolean {
    const clientMsgId = error.rid === undefined ? undefined : this.rids.get(error.rid);
    if (clientMsgId === undefined) return false;
    this.rids.delete(error.rid!);
    if (!box.find(this.outbox, clientMsgId)) return true;
    if (TRANSIENT.has(error.code)) {
      this.host.setOutbox(box.failTransient(this.outbox, clientMsgId, error.code));
      this.scheduleRetry();
      return true;
    }
    const outbox = box.failPermanent(this.outbox, clientMsgId, error.code);
    this.host.setOutbox(outbox);
    const failed = box.find(outbox, clientMsgId);
    if (failed) void this.host.persist('outbox entry', () => this.host.storage.saveOutboxEntry(box.toStored(failed)));
    this.pump();
    return true;
  }

  /**
   * Own messages that reached the timeline another way (a catch-up after a
   * lost ack) need no resend: same user, clientMsgId and conversation (docs/PROTOCOL.md 7.3).
   */
  settleSeen(messages: readonly MessageWire[]): void {
    const userId = this.host.state().self?.userId;
    for (const m of messages) {
      if (m.senderUserId === userId && box.find(this.outbox, m.clientMsgId)?.conversationId === m.conversationId)
        this.settle(m.clientMsgId);
    }
  }

  onDisconnected(): void {
    this.rids.clear();
    this.host.setOutbox(box.requeueSending(this.outbox));
  }

  retry(clientMsgId: string): void {
    const outbox = box.retry(this.outbox, clientMsgId);
    if (outbox === this.outbox) return;
    this.host.setOutbox(outbox);
    const entry = box.find(outbox, clientMsgId);
    if (entry) void this.host.persist('outbox entry', () => this.host.storage.saveOutboxEntry(box.toStored(entry)));
    this.pump();
  }

  /**
   * Drops a queued or failed message. One in flight cannot be taken back (the
   * hub may already have it), so that returns false.
   */
  discard(clientMsgId: string): boolean {
    const entry = box.find(this.outbox, clientMsgId);
    if (!entry || entry.status === 'sending') return false;
    this.settle(clientMsgId);
    return true;
  }

  /** Forgets everything (the device was unpaired); storage is cleared by the caller. */
  reset(): void {
    this.rids.clear();
    this.host.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.transientFailures = 0;
  }

  private settle(clientMsgId: string): void {
    this.host.setOutbox(box.remove(this.outbox, clientMsgId));
    void this.host.persist('outbox entry removal', () => this.host.storage.deleteOutboxEntry(clientMsgId));
  }

  /** Waits before sending again; later messages wait too, so order is kept. */
  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    const delay = backoffDelay(this.transientFailures++, this.options.retryBackoff, this.options.random);
    this.retryTimer = this.host.clock.setTimeout(
      () => {
        this.retryTimer = undefined;
        this.pump();
      },
      Math.max(delay, this.options.retryBackoff.baseMs / 2),
    );
  }
}
