import type { ConversationWire, MessageWire, ServerFrameOf } from '../../protocol';
import { idleConversationFields, type ConversationState } from '../clientState';

export const HUB = { id: 'hub1', identity: 'A'.repeat(52), name: 'Test hub', protocolVersion: 2, appVersion: '0.1.0' };
export const ALICE = 'userA';
export const BOB = 'userB';
export const ALICE_LAPTOP = 'devA1';
export const ALICE_PHONE = 'devA2';
export const BOB_LAPTOP = 'devB1';
export const GENERAL = 'general';

/** A message in `conversationId` (default GENERAL), from Bob unless said otherwise. */
export function msg(seq: number, fields: Partial<MessageWire> = {}): MessageWire {
  return {
    conversationId: GENERAL,
    seq,
    clientMsgId: `cmid-${fields.senderDeviceId ?? BOB_LAPTOP}-${seq}`,
    senderUserId: BOB,
    senderDeviceId: BOB_LAPTOP,
    sentAt: 1_700_000_000_000 + seq,
    text: `message ${seq}`,
    ...fields,
  };
}

export function msgs(from: number, to: number, fields: Partial<MessageWire> = {}): MessageWire[] {
  const out: MessageWire[] = [];
  for (let seq = from; seq <= to; seq++) out.push(msg(seq, fields));
  return out;
}

export function conversation(fields: Partial<ConversationWire> = {}): ConversationWire {
  return {
    id: GENERAL,
    kind: 'default',
    name: 'General',
    memberUserIds: [ALICE, BOB],
    lastSeq: 0,
    createdAt: 1_700_000_000_000,
    receipts: [
      { userId: ALICE, deliveredSeq: 0, readSeq: 0 },
      { userId: BOB, deliveredSeq: 0, readSeq: 0 },
    ],
    ...fields,
  };
}

/** The `ready` Alice's laptop gets. */
export function ready(conversations: ConversationWire[] = [conversation()], rid?: string): ServerFrameOf<'ready'> {
  return {
    type: 'ready',
    rid,
    self: { userId: ALICE, deviceId: ALICE_LAPTOP },
    users: [
      { id: ALICE, displayName: 'Alice', online: true },
      { id: BOB, displayName: 'Bob', online: false },
    ],
    devices: [
      { id: ALICE_LAPTOP, userId: ALICE, name: 'Laptop', platform: 'linux', pairedAt: 1, lastSeenAt: 1, online: true },
    ],
    conversations,
  };
}

/**
 * A conversation as the client holds it once `messages` (ascending seqs) are
 * all loaded: nothing newer on the hub, nothing read, nobody typing, idle.
 */
export function conversationState(
  fields: Pick<ConversationState, 'id' | 'kind' | 'name' | 'memberUserIds' | 'createdAt'> & Partial<ConversationState>,
  messages: MessageWire[] = [],
): ConversationState {
  const cursor = messages.at(-1)?.seq ?? 0;
  return {
    ...idleConversationFields(),
    lastSeq: cursor,
    timeline: { messages, cursor, reachedStart: true, buffered: [] },
    ...fields,
  };
}
