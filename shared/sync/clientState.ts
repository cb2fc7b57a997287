import type {
  ConversationKind,
  ConversationWire,
  DeviceWire,
  IdentityRefusal,
  IncompatibleReason,
  MessageWire,
  ReceiptWire,
  ServerFrameOf,
  UserWire,
} from '../protocol';
import { EMPTY_TIMELINE, hasOlder, type Timeline, type TimelineChange } from './conversationTimeline';
import { hiddenSenders } from './hidden';
import { pendingCount, type Outbox, type OutboxEntry } from './outbox';
import { userName } from './people';
import { unreadCount } from './unread';
import type { KnownHub } from './storage';

/**
 * The client's state: one immutable snapshot, replaced on every change, so
 * React can read it with useSyncExternalStore. Parts that did not change keep
 * their identity, so memoised selectors stay cheap. Pure reducers only here.
 */

/** Whether the hub is reachable right now. */
export type ConnectionStatus =
  /** First attempt since start(), not yet through. */
  | 'connecting'
  /** Talking to the hub: authenticated, or greeted and waiting for pair(). */
  | 'connected'
  /** Lost or refused; retrying with backoff (see `reconnect`). */
  | 'reconnecting'
  /** Not trying: stopped, not started, or the hub speaks an incompatible protocol. */
  | 'offline';

export type UnpairedReason =
  /** This device was never paired (or its storage was cleared). */
  | 'notPaired'
  /** The device was removed on the hub (close code 4003). */
  | 'revoked'
  /** The hub no longer accepts this device (AUTH_FAILED: removed, or its key is not the one the hub knows). */
  | 'authFailed'
  /** A different hub answers at this address. */
  | 'hubChanged';

export type Session =
  | { readonly phase: 'loading' }
  | { readonly phase: 'unpaired'; readonly reason: UnpairedReason }
  /** Has credentials; `status` says whether the hub is reachable right now. */
  | { readonly phase: 'paired' }
  /** Terminal until the app is updated: the hub does not speak this client's protocol version. */
  | {
      readonly phase: 'incompatible';
      readonly reason: IncompatibleReason | 'UNKNOWN';
      readonly hubProtocol?: number;
      readonly minProtocol?: number;
    }
  /**
   * Terminal: the pinning transport refused the hub (HUB_IDENTITY_CHANGED: it proved another identity than
   * the pinned one; HUB_IDENTITY_UNPROVEN: it proved none). Never re-pinned silently: the person checks with
   * the hub's owner, then forgets the hub and pairs again. The credentials are kept until then.
   */
  | { readonly phase: 'identityRefused'; readonly reason: IdentityRefusal };

export type TypingUser = { readonly userId: string; readonly deviceId: string; readonly expiresAt: number };

export type ConversationState = {
  readonly id: string;
  readonly kind: ConversationKind;
  /** Empty for direct conversations: show the other member's name (see conversationTitle). */
  readonly name: string;
  readonly memberUserIds: readonly string[];
  readonly createdAt: number;
  /** Seq of the newest message on the hub, as far as the client knows. */
  readonly lastSeq: number;
  /** Per member: up to which seq a message reached any of their devices, and up to which they read. */
  readonly receipts: Readonly<Record<string, ReceiptWire>>;
  readonly timeline: Timeline;
  /** This conversation's unacknowledged own messages, oldest first; show them after the timeline. */
  readonly pending: readonly OutboxEntry[];
  /** The own user's read mark (hub's or a newer local one). */
  readonly readSeq: number;
  readonly unreadCount: number;
  /** Older messages can be loaded with loadOlder(). */
  readonly hasOlder: boolean;
  /** Other users typing now (entries expire by themselves). */
  readonly typing: readonly TypingUser[];
  /** Catching up with the hub. */
  readonly syncing: boolean;
  readonly loadingOlder: boolean;
};

export type RoostState = {
  readonly status: ConnectionStatus;
  readonly session: Session;
  /** While status is 'reconnecting': which retry comes next and when (ms since epoch). */
  readonly reconnect: { readonly attempt: number; readonly nextAttemptAt: number } | undefined;
  readonly hub: KnownHub | undefined;
  readonly self: { readonly userId: string; readonly deviceId: string } | undefined;
  readonly users: Readonly<Record<string, UserWire>>;
  /** The own user's devices. */
  readonly devices: readonly DeviceWire[];
  readonly conversations: Readonly<Record<string, ConversationState>>;
  /** The users the own user blocks: their messages are hidden (hidden.ts) and never counted unread. */
  readonly blockedUserIds: readonly string[];
  /** Every unacknowledged own message, in send order. */
  readonly outbox: Outbox;
  readonly pendingCount: number;
};

export const INITIAL_STATE: RoostState = {
  status: 'offline',
  session: { phase: 'loading' },
  reconnect: undefined,
  hub: undefined,
  self: undefined,
  users: {},
  devices: [],
  conversations: {},
  blockedUserIds: [],
  outbox: [],
  pendingCount: 0,
};

/** Drops everything learned from the hub (after the device was revoked), keeping the connection fields. */
export function forgetAccount(state: RoostState, reason: UnpairedReason): RoostState {
  return {
    ...INITIAL_STATE,
    status: state.status,
    reconnect: state.reconnect,
    hub: state.hub,
    session: { phase: 'unpaired', reason },
  };
}

/**
 * Recomputes the fields derived from the others; call after any change to a conversation.
 * `hidden`: senders whose messages are not counted unread (hiddenSenders).
 */
export function derive(
  c: ConversationState,
  selfUserId: string | undefined,
  hidden?: ReadonlySet<string>,
): ConversationState {
  const readSeq = selfUserId ? (c.receipts[selfUserId]?.readSeq ?? 0) : 0;
  const lastSeq = Math.max(c.lastSeq, c.timeline.cursor);
  const unread = unreadCount(c.timeline, lastSeq, readSeq, selfUserId, hidden);
  const older = hasOlder(c.timeline);
  if (readSeq === c.readSeq && lastSeq === c.lastSeq && unread === c.unreadCount && older === c.hasOlder) return c;
  return { ...c, readSeq, lastSeq, unreadCount: unread, hasOlder: older };
}

/**
 * What the client holds of a conversation beyond the hub's metadata, before anything is loaded, read, sent or typed.
 */
export function idleConversationFields(): Pick<
  ConversationState,
  'receipts' | 'timeline' | 'pending' | 'readSeq' | 'unreadCount' | 'hasOlder' | 'typing' | 'syncing' | 'loadingOlder'
> {
  return {
    receipts: {},
    timeline: EMPTY_TIMELINE,
    pending: [],
    readSeq: 0,
    unreadCount: 0,
    hasOlder: false,
    typing: [],
    syncing: false,
    loadingOlder: false,
  };
}

/** New or updated conversation metadata from the hub; timeline, typing and flags are kept. */
export function conversationFromWire(
  wire: ConversationWire,
  existing: ConversationState | undefined,
  selfUserId: string | undefined,
  hidden?: ReadonlySet<string>,
): ConversationState {
  const receipts: Record<string, ReceiptWire> = {};
  for (const r of wire.receipts) receipts[r.userId] = mergeReceipt(existing?.receipts[r.userId], r);
  const base: ConversationState = existing ?? { ...wire, ...idleConversationFields() };
  return derive(
    {
      ...base,
      kind: wire.kind,
      name: wire.name,
      memberUserIds: wire.memberUserIds,
      createdAt: wire.createdAt,
      lastSeq: Math.max(wire.lastSeq, existing?.lastSeq ?? 0),
      receipts,
    },
    selfUserId,
    hidden,
  );
}

/** The state a `ready` frame describes, keeping what the client already had for the same account. */
export function applyReady(state: RoostState, ready: ServerFrameOf<'ready'>): RoostState {
  // Before the first ready (a fresh start, or a cache without snapshot) everything held is this account's.
  const sameAccount = state.self === undefined || state.self.userId === ready.self.userId;
  const conversations: Record<string, ConversationState> = {};
  const blockedUserIds = ready.blockedUserIds ?? [];
  const hidden = hiddenSenders({ blockedUserIds });
  for (const wire of ready.conversations) {
    const existing = sameAccount ? state.conversations[wire.id] : undefined;
    conversations[wire.id] = conversationFromWire(wire, existing, ready.self.userId, hidden);
  }
  return withOutbox(
    {
      ...state,
      session: { phase: 'paired' },
      self: ready.self,
      users: Object.fromEntries(ready.users.map((u) => [u.id, u])),
      devices: ready.devices,
      conversations,
      blockedUserIds,
    },
    sameAccount ? state.outbox : [],
  );
}

export function upsertConversation(state: RoostState, wire: ConversationWire): RoostState {
  const conversation = conversationFromWire(
    wire,
    state.conversations[wire.id],
    state.self?.userId,
    hiddenSenders(state),
  );
  return withOutbox({ ...state, conversations: { ...state.conversations, [wire.id]: conversation } }, state.outbox);
}

export function updateConversation(
  state: RoostState,
  id: string,
  change: (c: ConversationState) => ConversationState,
): RoostState {
  const current = state.conversations[id];
  if (!current) return state;
  const next = derive(change(current), state.self?.userId, hiddenSenders(state));
  return next === current ? state : { ...state, conversations: { ...state.conversations, [id]: next } };
}

/** A timeline change that took effect; storage, the outbox and the receipt marks hear of it. */
export type TimelineMerge = {
  readonly conversationId: string;
  readonly before: Timeline;
  readonly after: Timeline;
  /** Messages that joined `messages` (not those only buffered), ascending. */
  readonly added: readonly MessageWire[];
};

/** Applies a change to a conversation's timeline; `merge` is undefined if nothing changed. */
export function mergeTimeline(
  state: RoostState,
  conversationId: string,
  change: (t: Timeline) => TimelineChange,
): { state: RoostState; merge?: TimelineMerge } {
  const before = state.conversations[conversationId]?.timeline;
  if (!before) return { state };
  const { timeline, added } = change(before);
  if (timeline === before) return { state };
  const next = updateConversation(state, conversationId, (c) => ({ ...c, timeline }));
  return { state: next, merge: { conversationId, before, after: timeline, added } };
}

/** Sets `syncing` or `loadingOlder`; the same state if it already has that value. */
export function setFlag(
  state: RoostState,
  conversationId: string,
  flag: 'syncing' | 'loadingOlder',
  value: boolean,
): RoostState {
  return updateConversation(state, conversationId, (c) => (c[flag] === value ? c : { ...c, [flag]: value }));
}

/** Receipts only move forward: a stale frame never lowers one. */
export function mergeReceipt(current: ReceiptWire | undefined, incoming: ReceiptWire): ReceiptWire {
  if (!current) return incoming;
  const deliveredSeq = Math.max(current.deliveredSeq, incoming.deliveredSeq);
  const readSeq = Math.max(current.readSeq, incoming.readSeq);
  return deliveredSeq === current.deliveredSeq && readSeq === current.readSeq
    ? current
    : { userId: current.userId, deliveredSeq, readSeq };
}

export function applyReceipt(state: RoostState, conversationId: string, receipt: ReceiptWire): RoostState {
  return updateConversation(state, conversationId, (c) => {
    const merged = mergeReceipt(c.receipts[receipt.userId], receipt);
    return merged === c.receipts[receipt.userId] ? c : { ...c, receipts: { ...c.receipts, [receipt.userId]: merged } };
  });
}

/** The own user has read everything up to the timeline's cursor (on this device); unchanged if nothing new. */
export function readToCursor(state: RoostState, conversationId: string): RoostState {
  const c = state.conversations[conversationId];
  const self = state.self;
  if (!c || !self || c.timeline.cursor <= c.readSeq) return state;
  const seq = c.timeline.cursor;
  return applyReceipt(state, conversationId, { userId: self.userId, deliveredSeq: seq, readSeq: seq });
}

/** A live message raises lastSeq even while it waits in the buffer. */
export function noteSeq(state: RoostState, conversationId: string, seq: number): RoostState {
  return updateConversation(state, conversationId, (c) => (seq > c.lastSeq ? { ...c, lastSeq: seq } : c));
}

export function upsertUser(state: RoostState, user: UserWire): RoostState {
  return { ...state, users: { ...state.users, [user.id]: user } };
}

export function setPresence(state: RoostState, userId: string, online: boolean): RoostState {
  const user = state.users[userId];
  if (!user || user.online === online) return state;
  return upsertUser(state, { ...user, online });
}

/** Replaces the outbox and each conversation's `pending` list. */
export function withOutbox(state: RoostState, outbox: Outbox): RoostState {
  const byConversation = new Map<string, OutboxEntry[]>();
  for (const e of outbox) byConversation.set(e.conversationId, [...(byConversation.get(e.conversationId) ?? []), e]);
  let conversations = state.conversations;
  for (const [id, c] of Object.entries(state.conversations)) {
    const pending = byConversation.get(id) ?? [];
    if (samePending(c.pending, pending)) continue;
    if (conversations === state.conversations) conversations = { ...conversations };
    (conversations as Record<string, ConversationState>)[id] = { ...c, pending };
  }
  return { ...state, outbox, pendingCount: pendingCount(outbox), conversations };
}

/** Adds or refreshes a typing user, dropping expired entries. */
export function addTyping(state: RoostState, conversationId: string, typing: TypingUser, now: number): RoostState {
  return updateConversation(state, conversationId, (c) => ({
    ...c,
    typing: [...c.typing.filter((t) => t.userId !== typing.userId && t.expiresAt > now), typing],
  }));
}

export function clearTyping(state: RoostState, conversationId: string, userId: string): RoostState {
  return updateConversation(state, conversationId, (c) =>
    c.typing.some((t) => t.userId === userId) ? { ...c, typing: c.typing.filter((t) => t.userId !== userId) } : c,
  );
}

export function expireTyping(state: RoostState, now: number): RoostState {
  let next = state;
  for (const c of Object.values(state.conversations)) {
    if (c.typing.some((t) => t.expiresAt <= now))
      next = updateConversation(next, c.id, (x) => ({ ...x, typing: x.typing.filter((t) => t.expiresAt > now) }));
  }
  return next;
}

/** Soonest moment a typing indicator runs out, if any is shown. */
export function nextTypingExpiry(state: RoostState): number | undefined {
  let soonest: number | undefined;
  for (const c of Object.values(state.conversations))
    for (const t of c.typing) soonest = Math.min(soonest ?? t.expiresAt, t.expiresAt);
  return soonest;
}

/** A name to show: the room name, or for a direct conversation the other member's name. */
export function conversationTitle(state: Pick<RoostState, 'self' | 'users'>, c: ConversationState): string {
  if (c.kind !== 'direct' || c.name) return c.name;
  const other = c.memberUserIds.find((id) => id !== state.self?.userId) ?? state.self?.userId;
  return (other && userName(state.users, other, '')) || 'Direct conversation';
}

/** Whether a message was sent from this device. */
export function isOwnMessage(state: RoostState, m: MessageWire): boolean {
  return m.senderDeviceId === state.self?.deviceId;
}

/**
 * The own block list changed (PROTOCOL.md 11.7): unread counts are recounted without the blocked
 * users' messages, and their typing indicators go.
 */
export function applyBlocks(state: RoostState, blockedUserIds: readonly string[]): RoostState {
  const next = { ...state, blockedUserIds };
  const hidden = hiddenSenders(next);
  const conversations: Record<string, ConversationState> = {};
  for (const [id, c] of Object.entries(state.conversations)) {
    const typing = c.typing.some((t) => hidden.has(t.userId))
      ? c.typing.filter((t) => !hidden.has(t.userId))
      : c.typing;
    conversations[id] = derive(typing === c.typing ? c : { ...c, typing }, state.self?.userId, hidden);
  }
  return { ...next, conversations };
}

/** The own user left the room (PROTOCOL.md 11.6): it goes, with its unsent messages. */
export function dropConversation(state: RoostState, id: string): RoostState {
  if (!state.conversations[id]) return state;
  const { [id]: _gone, ...conversations } = state.conversations;
  return withOutbox(
    { ...state, conversations },
    state.outbox.filter((e) => e.conversationId !== id),
  );
}

function samePending(a: readonly OutboxEntry[], b: readonly OutboxEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}
