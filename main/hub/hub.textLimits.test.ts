import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, WHITESPACE_RANGES } from '../../shared/protocol';
import type { Hub } from './Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { pairNewUser, startTestHub, type Device } from './testing/testHub';

/**
 * The protocol's text rules at the hub's boundary (PROTOCOL.md 2.2, 4.2):
 * lengths count code points, "blank" means only the whitespace of
 * shared/protocol/whitespace.ts, and an invalid rid, an empty one included,
 * is refused without being echoed.
 */

let hub: Hub;
let cleanup: () => Promise<void>;
let alice: Device;
let bob: Device;
let n = 0;
const mid = () => `text-limits-${n++}`;
const emoji = (count: number) => '😀'.repeat(count);
const whitespaceCodePoints = WHITESPACE_RANGES.flatMap(([first, last]) =>
  Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i)),
);
const everyWhitespace = whitespaceCodePoints.join('');

beforeAll(async () => {
  ({ hub, cleanup } = await startTestHub());
  alice = await pairNewUser(hub, 'Alice');
  bob = await pairNewUser(hub, 'Bob');
});

afterAll(async () => {
  await alice.client.close();
  await bob.client.close();
  await cleanup();
});

function send(text: string, rid?: string) {
  return { type: 'send', rid, conversationId: GENERAL, clientMsgId: mid(), text } as const;
}

describe('request ids', () => {
  it('refuses an empty rid with BAD_FRAME naming it, without echoing it, and does nothing else', async () => {
    const frame = send('never stored', '');
    alice.client.sendFrame(frame);
    const error = await alice.client.nextOf('error', (e) => e.frameType === 'send' && e.message.includes('rid'));
    expect(error).toMatchObject({ code: 'BAD_FRAME', frameType: 'send' });
    expect(error.rid).toBeUndefined();
    const page = await bob.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'backward', cursor: Number.MAX_SAFE_INTEGER },
      'messages',
    );
    expect(page.messages.map((m) => m.clientMsgId)).not.toContain(frame.clientMsgId);
  });

  it('counts a rid in code points: 64 emoji is a rid the hub echoes, 65 is not', async () => {
    const ok = emoji(64);
    alice.client.sendFrame({ type: 'ping', rid: ok });
    await alice.client.nextOf('pong', (p) => p.rid === ok);
    // A frame that is refused for another reason still echoes its (valid) rid.
    alice.client.sendFrame({ type: 'markRead', rid: ok, conversationId: GENERAL, seq: -1 });
    expect(await alice.client.nextOf('error', (e) => e.rid === ok)).toMatchObject({ code: 'BAD_FRAME' });
    alice.client.sendFrame({ type: 'ping', rid: emoji(65) });
    const tooLong = await alice.client.nextOf('error', (e) => e.frameType === 'ping');
    expect(tooLong).toMatchObject({ code: 'BAD_FRAME' });
    expect(tooLong.rid).toBeUndefined();
  });
});

describe('lengths count code points', () => {
  it(`accepts a text of ${LIMITS.maxTextLength} emoji (twice as many UTF-16 units) and refuses one more`, async () => {
    const ack = await alice.client.expect(send(emoji(LIMITS.maxTextLength)), 'ack');
    expect((await bob.client.nextOf('message', (m) => m.message.seq === ack.seq)).message.text).toBe(
      emoji(LIMITS.maxTextLength),
    );
    const refused = await alice.client.request(send(emoji(LIMITS.maxTextLength + 1)));
    expect(refused).toMatchObject({ type: 'error', code: 'BAD_FRAME', frameType: 'send' });
  });

  it(`accepts a name of ${LIMITS.maxNameLength} emoji after trimming, and refuses one more`, async () => {
    const { deviceId } = alice.credentials;
    const name = emoji(LIMITS.maxNameLength);
    await alice.client.expect({ type: 'renameDevice', deviceId, name: `\u3000${name} \n` }, 'ok');
    const list = await alice.client.expect({ type: 'listDevices' }, 'devices');
    expect(list.devices.find((d) => d.id === deviceId)?.name).toBe(name);
    const refused = await alice.client.request({ type: 'renameDevice', deviceId, name: emoji(65) });
    expect(refused).toMatchObject({ type: 'error', code: 'BAD_FRAME', frameType: 'renameDevice' });
  });

  it('fills a page up to the text budget counted in code points', async () => {
    const room = await alice.client.expect({ type: 'createGroup', name: 'Emoji', memberUserIds: [] }, 'conversation');
    const perPage = Math.floor(LIMITS.maxPageTextLength / LIMITS.maxTextLength);
    const text = emoji(LIMITS.maxTextLength);
    const ids = Array.from({ length: perPage + 3 }, () => mid());
    for (const clientMsgId of ids)
      alice.client.sendFrame({ type: 'send', conversationId: room.conversation.id, clientMsgId, text });
    await alice.client.nextOf('ack', (a) => a.clientMsgId === ids.at(-1));
    const page = await alice.client.expect(
      { type: 'fetchMessages', conversationId: room.conversation.id, direction: 'forward', cursor: 0, limit: 500 },
      'messages',
    );
    // Counted in UTF-16 units the page would stop at half as many.
    expect(page.messages.length).toBe(perPage);
    expect(page.hasMore).toBe(true);
  });
});

describe('only whitespace', () => {
  it('refuses a text of only whitespace, each whitespace code point alone and all of them together', async () => {
    for (const [i, ws] of [...whitespaceCodePoints, everyWhitespace].entries()) {
      const answer = await alice.client.request(send(ws.repeat(2)));
      expect(answer, `whitespace sample ${i}`).toMatchObject({ type: 'error', code: 'BAD_FRAME' });
    }
  });

  it('takes zero-width and other non-whitespace characters as text, and stores a text exactly as sent', async () => {
    for (const text of ['\u200b', '\u0085', '\u180e', `${everyWhitespace}x${everyWhitespace}`]) {
      const ack = await alice.client.expect(send(text), 'ack');
      expect((await bob.client.nextOf('message', (m) => m.message.seq === ack.seq)).message.text).toBe(text);
    }
  });

  it('trims names of exactly that whitespace, and refuses a name of nothing else', async () => {
    const { deviceId } = alice.credentials;
    // U+2800 (braille blank) is not whitespace, so it stays; invisible characters are refused (nameCharacters.ts).
    await alice.client.expect({ type: 'renameDevice', deviceId, name: `${everyWhitespace}Desk\u2800` }, 'ok');
    const list = await alice.client.expect({ type: 'listDevices' }, 'devices');
    expect(list.devices.find((d) => d.id === deviceId)?.name).toBe('Desk\u2800');
    const refused = await alice.client.request({ type: 'renameDevice', deviceId, name: everyWhitespace });
    expect(refused).toMatchObject({ type: 'error', code: 'BAD_FRAME' });
  });
});
