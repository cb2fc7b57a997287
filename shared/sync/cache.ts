import type { ConversationWire, MessageWire } from '../protocol';
import { checkCredentials, checkMessage, checkOutboxEntry, checkRange, checkSnapshot } from './cacheSchema';
import { INITIAL_STATE, applyReady, updateConversation, withOutbox, type RoostState } from './clientState';
import { timelineFromStored, type Timeline } from './conversationTimeline';
import { WarningCode, type RoostWarning } from './errors';
import { fromStored, toStored, type OutboxEntry } from './outbox';
import { CACHE_SCHEMA_VERSION, type CachedSnapshot, type ClientStorage, type StoredCredentials } from './storage';

/** Everything read back from storage at start, already validated. */
export type LoadedCache = {
  credentials: StoredCredentials | undefined;
  snapshot: CachedSnapshot | undefined;
  timelines: Record<string, Timeline>;
  /** Per conversation: storage holds its very first message (TimelineRange.reachedStart). */
  storedReachedStart: Record<string, boolean>;
  outbox: OutboxEntry[];
};

/**
 * Reads credentials, snapshot, the newest `messagesPerConversation` messages
 * of each cached conversation and the outbox. Whatever fails to read or to
 * validate is dropped with a warning: the hub can always send it again.
 */
export async function loadCache(
  storage: ClientStorage,
  messagesPerConversation: number,
  warn: (w: RoostWarning) => void,
): Promise<LoadedCache> {
  const discard = (what: string, reason: string) =>
    warn({ code: WarningCode.CACHE_DISCARDED, message: `dropped cached ${what}: ${reason}` });
  const read = async <T>(what: string, task: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await task();
    } catch (err) {
      warn({ code: WarningCode.STORAGE_FAILED, message: `reading ${what} failed: ${String(err)}`, detail: err });
      return fallback;
    }
  };

  const empty: LoadedCache = {
    credentials: undefined,
    snapshot: undefined,
    timelines: {},
    storedReachedStart: {},
    outbox: [],
  };
  const rawCredentials = await read('credentials', () => storage.loadCredentials(), undefined);
  if (rawCredentials === undefined) return empty;
  const credentials = checkCredentials(rawCredentials);
  if (!credentials.ok) {
    discard('credentials', credentials.reason);
    return empty;
  }

  const outbox: OutboxEntry[] = [];
  for (const raw of await read('outbox', () => storage.loadOutbox(), [])) {
    const entry = checkOutboxEntry(raw);
    if (entry.ok) outbox.push(fromStored(entry.value));
    else discard('outbox entry', entry.reason);
  }
  outbox.sort((a, b) => a.order - b.order);

  const rawSnapshot = await read('snapshot', () => storage.loadSnapshot(), undefined);
  let snapshot = rawSnapshot === undefined ? undefined : checkSnapshot(rawSnapshot);
  if (snapshot && !snapshot.ok) discard('snapshot', snapshot.reason);
  if (snapshot?.ok && snapshot.value.self.deviceId !== credentials.value.deviceId) {
    discard('snapshot', 'it belongs to another device');
    snapshot = undefined;
  }
  const timelines: Record<string, Timeline> = {};
  const storedReachedStart: Record<string, boolean> = {};
  if (!snapshot?.ok) {
    // Stored messages are only trusted together with the snapshot that lists their conversations.
    await resetCache(storage, credentials.value, outbox, warn);
    return { ...empty, credentials: credentials.value, outbox };
  }
  for (const c of snapshot.value.conversations) {
    const loaded = await loadTimeline(storage, c.id, messagesPerConversation, read, discard);
    timelines[c.id] = loaded.timeline;
    storedReachedStart[c.id] = loaded.storedReachedStart;
  }
  return { credentials: credentials.value, snapshot: snapshot.value, timelines, storedReachedStart, outbox };
}

/** Empties storage but for the credentials and the outbox. */
async function resetCache(
  storage: ClientStorage,
  credentials: StoredCredentials,
  outbox: readonly OutboxEntry[],
  warn: (w: RoostWarning) => void,
): Promise<void> {
  try {
    await storage.clear();
    await storage.saveCredentials(credentials);
    for (const entry of outbox) await storage.saveOutboxEntry(toStored(entry));
  } catch (err) {
    warn({ code: WarningCode.STORAGE_FAILED, message: `resetting the cache failed: ${String(err)}`, detail: err });
  }
}

async function loadTimeline(
  storage: ClientStorage,
  id: string,
  limit: number,
  read: <T>(what: string, task: () => Promise<T>, fallback: T) => Promise<T>,
  discard: (what: string, reason: string) => void,
): Promise<{ timeline: Timeline; storedReachedStart: boolean }> {
  const rawRange = await read(`range of "${id}"`, () => storage.loadRange(id), undefined);
  const range = rawRange === undefined ? undefined : checkRange(rawRange);
  if (!range?.ok) {
    if (range) discard(`range of "${id}"`, range.reason);
    return { timeline: timelineFromStored([], 0, false), storedReachedStart: false };
  }
  // One more than shown tells whether storage holds older ones.
  const raw = await read(`messages of "${id}"`, () => storage.loadMessages(id, range.value.cursor + 1, limit + 1), []);
  const messages: MessageWire[] = [];
  for (const m of raw) {
    const checked = checkMessage(m);
    if (checked.ok && checked.value.conversationId === id) messages.push(checked.value);
  }
  if (messages.length < raw.length) discard(`messages of "${id}"`, `${raw.length - messages.length} did not validate`);
  const more = messages.length > limit;
  const timeline = timelineFromStored(
    more ? messages.slice(1) : messages,
    range.value.cursor,
    range.value.reachedStart && !more,
  );
  return { timeline, storedReachedStart: range.value.reachedStart };
}

/** The state shown before the hub answers: last known account, conversations and history, and the outbox. */
export function stateFromCache(cache: LoadedCache): RoostState {
  if (!cache.credentials) return { ...INITIAL_STATE, session: { phase: 'unpaired', reason: 'notPaired' } };
  const base: RoostState = { ...INITIAL_STATE, session: { phase: 'paired' } };
  const snapshot = cache.snapshot;
  if (!snapshot) return withOutbox(base, cache.outbox);
  let state = applyReady({ ...base, hub: snapshot.hub }, { type: 'ready', ...snapshot });
  for (const [id, timeline] of Object.entries(cache.timelines)) {
    state = updateConversation(state, id, (c) => ({ ...c, timeline }));
  }
  return withOutbox(state, cache.outbox);
}

/** What is cached of the state (messages and outbox are stored separately as they change). */
export function snapshotOf(state: RoostState): CachedSnapshot | undefined {
  if (!state.hub || !state.self) return undefined;
  const conversations: ConversationWire[] = Object.values(state.conversations).map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    memberUserIds: [...c.memberUserIds],
    lastSeq: c.lastSeq,
    createdAt: c.createdAt,
    receipts: Object.values(c.receipts),
  }));
  return {
    schemaVersion: CACHE_SCHEMA_VERSION,
    hub: state.hub,
    self: state.self,
    users: Object.values(state.users),
    devices: [...state.devices],
    conversations,
    blockedUserIds: [...state.blockedUserIds],
  };
}
