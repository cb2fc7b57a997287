import type { MessageWire } from '../../shared/protocol';

/** The person using the app in component tests, and the one they talk to. */
export const SELF = { userId: 'ann', deviceId: 'ann-laptop' } as const;
export const PEER = { userId: 'bob', deviceId: 'bob-phone' } as const;
export const CONVERSATION_ID = 'general';

/** One morning, so the history has no day separators in it (a message sent now gets one). */
const HISTORY_START = new Date(2025, 2, 14, 9, 0).getTime();

const LONG_TEXT = ' It goes on for a while, so that it wraps onto several lines and the row is taller than estimated.';

/**
 * Message `seq` of the test conversation: runs of three from Bob and two from Ann, 20 s apart,
 * every seventh one long enough to wrap, so rows differ in height the way real ones do.
 */
export function message(seq: number, fields: Partial<MessageWire> = {}): MessageWire {
  const sender = seq % 5 >= 3 ? SELF : PEER;
  return {
    conversationId: CONVERSATION_ID,
    seq,
    clientMsgId: `msg-${sender.deviceId}-${seq}`,
    senderUserId: sender.userId,
    senderDeviceId: sender.deviceId,
    sentAt: HISTORY_START + seq * 20_000,
    text: `Message ${seq}.${seq % 7 === 0 ? LONG_TEXT.repeat(3) : ''}`,
    ...fields,
  };
}

/** Messages `from` to `to`, both included. */
export function messages(from: number, to: number): MessageWire[] {
  const out: MessageWire[] = [];
  for (let seq = from; seq <= to; seq++) out.push(message(seq));
  return out;
}
