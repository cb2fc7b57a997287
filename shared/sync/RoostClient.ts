import type { Attachment, ConversationWire, PairCredential } from '../protocol';
import { ClientCore } from './ClientCore';
import { withDefaults, type DeviceDescription, type RoostClientOptions } from './clientOptions';
import type { RoostState } from './clientState';
import { expectAnswer } from './Requests';

export type { DeviceDescription, RoostClientOptions } from './clientOptions';

/**
 * The Roost sync client: speaks the protocol over an injected transport, keeps
 * an immutable state snapshot for the UI (getState/subscribe, suited to
 * React's useSyncExternalStore), caches through an injected storage,
 * reconnects by itself and never loses or duplicates a message.
 *
 * Promise-returning methods reject with a RoostError whose `code` is the
 * hub's ErrorCode or a ClientErrorCode (NOT_CONNECTED, DISCONNECTED, TIMEOUT…).
 *
 * A facade: every method delegates to ClientCore, which owns the state.
 */
export class RoostClient {
  private readonly core: ClientCore;

  constructor(options: RoostClientOptions) {
    this.core = new ClientCore(withDefaults(options));
  }

  /** The current snapshot. Stable between changes, so it can be handed to useSyncExternalStore as is. */
  readonly getState = (): RoostState => this.core.state;

  /** Calls `listener` after every state change; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => this.core.subscribe(listener);

  /** Shows the cached state, then connects. Resolves once the cache is shown. After stop(), connects again. */
  start(): Promise<void> {
    return this.core.start();
  }

  /** Disconnects and stops reconnecting; resolves when pending storage writes are done. */
  stop(): Promise<void> {
    return this.core.stop();
  }

  /** Reconnects now instead of waiting out the backoff (e.g. on the browser's "online" event). */
  retryNow(): void {
    this.core.retryNow();
  }

  /**
   * The platform says the network is gone (the browser's "offline" event):
   * treat the connection as lost now instead of at the next ping timeout, so
   * the UI says so at once and sends wait in the outbox.
   */
  networkLost(): void {
    this.core.networkLost();
  }

  /** After `identityRefused`, at the person's word: forget this hub's account and key, connect again to pair anew. */
  pairAgain(): Promise<void> {
    return this.core.pairAgain();
  }

  /** Pairs this device (session 'unpaired', status 'connected'); resolves once its credentials are stored. */
  pair(credential: PairCredential, device?: DeviceDescription): Promise<void> {
    return this.core.pair(credential, device);
  }

  /**
   * Spends a join link's token, which the browser keeps in its history, for a fresh join token that is never
   * in a URL (session 'unpaired', status 'connected'); pair with the fresh one. Rejects with JOIN_TOKEN_USED,
   * JOIN_TOKEN_EXPIRED or JOIN_TOKEN_INVALID when the link is no good.
   */
  claimJoinLink(token: string): Promise<{ token: string; expiresAt: number }> {
    return this.core.claimJoinLink(token);
  }

  /**
   * Queues a message; it shows as pending at once. Resolves with its clientMsgId once stored locally.
   * `attachments` are files already uploaded (PROTOCOL.md appendix F); `text` may then be "". A caller that
   * must send exactly once across restarts (files waiting in their own store) passes its own `clientMsgId`:
   * sending it again queues nothing new, and the hub recognises a resend (PROTOCOL.md 7.3).
   */
  send(
    conversationId: string,
    text: string,
    attachments?: readonly Attachment[],
    options: { clientMsgId?: string } = {},
  ): Promise<string> {
    return this.core.send(conversationId, text, attachments, options.clientMsgId);
  }

  /**
   * A one-time ticket (60 s) that POST /api/files/session trades for a file session (PROTOCOL.md appendix F.2).
   * Needs a ready connection.
   */
  async openFileSession(): Promise<{ ticket: string; expiresAt: number }> {
    const answer = expectAnswer(await this.core.request({ type: 'openFileSession' }), 'fileTicket');
    return { ticket: answer.ticket, expiresAt: answer.expiresAt };
  }

  /** Sends a message the hub refused for good (status 'failed') again. */
  retrySend(clientMsgId: string): void {
    this.core.retrySend(clientMsgId);
  }

  /** Drops a pending message that is not in flight; false if it could not be. */
  discardPending(clientMsgId: string): boolean {
    return this.core.discardPending(clientMsgId);
  }

  /**
   * Marks everything loaded in the conversation as read:
   * here at once, on the hub soon (coalesced) or after reconnecting.
   */
  markRead(conversationId: string): void {
    this.core.markRead(conversationId);
  }

  /** Call on each keystroke; sends a typing frame at most every typingThrottleMs. */
  notifyTyping(conversationId: string): void {
    this.core.notifyTyping(conversationId);
  }

  /** Loads a page of older messages (storage first, then the hub). Resolves with how many were added. */
  loadOlder(conversationId: string): Promise<number> {
    return this.core.loadOlder(conversationId);
  }

  /**
   * Deletes one of the own messages for everyone (PROTOCOL.md 7.5), sent from any of the user's devices.
   * Resolves once the hub has stored and pushed the deletion; the message is empty and `deleted` in the state
   * by then, as on every other device. Someone else's message is FORBIDDEN; deleting again changes nothing.
   */
  async deleteMessage(conversationId: string, seq: number): Promise<void> {
    expectAnswer(await this.core.request({ type: 'deleteMessage', conversationId, seq }), 'ok');
  }

  async createGroup(name: string, memberUserIds: string[]): Promise<ConversationWire> {
    return expectAnswer(await this.core.request({ type: 'createGroup', name, memberUserIds }), 'conversation')
      .conversation;
  }

  async addMembers(conversationId: string, userIds: string[]): Promise<ConversationWire> {
    return expectAnswer(await this.core.request({ type: 'addMembers', conversationId, userIds }), 'conversation')
      .conversation;
  }

  /** The direct conversation with this user, created on first use. */
  async openDirect(userId: string): Promise<ConversationWire> {
    return expectAnswer(await this.core.request({ type: 'openDirect', userId }), 'conversation').conversation;
  }

  /**
   * Leaves a group room (PROTOCOL.md 11.6). Resolves once the hub has stored it; by then the room is
   * gone from the state, with its unsent messages. The default room and direct conversations refuse
   * (FORBIDDEN).
   */
  async leaveConversation(conversationId: string): Promise<void> {
    expectAnswer(await this.core.request({ type: 'leaveConversation', conversationId }), 'conversationLeft');
  }

  /**
   * Blocks a user (PROTOCOL.md 11.7): their messages are hidden here and not counted unread, and they
   * can no longer open a direct conversation with the own user or add them to a room. Resolves once
   * the hub has stored it; `blockedUserIds` in the state has it by then.
   */
  async blockUser(userId: string): Promise<void> {
    expectAnswer(await this.core.request({ type: 'blockUser', userId }), 'blocks');
  }

  /** Stops blocking a user: their messages show again, those sent while blocked too. */
  async unblockUser(userId: string): Promise<void> {
    expectAnswer(await this.core.request({ type: 'unblockUser', userId }), 'blocks');
  }

  /** A one-time code that pairs another device to the own user. */
  async createLinkCode(): Promise<{ code: string; expiresAt: number }> {
    const { code, expiresAt } = expectAnswer(await this.core.request({ type: 'createLinkCode' }), 'linkCode');
    return { code, expiresAt };
  }

  async renameDevice(deviceId: string, name: string): Promise<void> {
    expectAnswer(await this.core.request({ type: 'renameDevice', deviceId, name }), 'ok');
  }

  /** Revokes one of the own devices; removing this device itself returns it to 'unpaired'. */
  async removeDevice(deviceId: string): Promise<void> {
    expectAnswer(await this.core.request({ type: 'removeDevice', deviceId }), 'ok');
  }
}
