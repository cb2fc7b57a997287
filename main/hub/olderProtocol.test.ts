import { describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import { forProtocol2, hasFiles } from './olderProtocol';
import { shareFrame } from './sharedFrame';

const base: MessageWire = {
  conversationId: 'general',
  seq: 4,
  clientMsgId: 'm-12345678',
  senderUserId: 'alice',
  senderDeviceId: 'laptop',
  sentAt: 1,
  text: 'Menu for tonight',
};
const withFiles: MessageWire = {
  ...base,
  attachments: [
    { sha256: 'a'.repeat(64), name: 'menu.jpg', size: 481_233, type: 'image/jpeg', image: { width: 4, height: 3 } },
    { sha256: 'b'.repeat(64), name: 'wine.pdf', size: 900, type: 'application/pdf' },
  ],
};

describe('frames for a protocol-2 client', () => {
  it('show each file as a line of text and carry no attachments', () => {
    const frame = forProtocol2({ type: 'message', message: withFiles });
    expect(frame).toEqual({
      type: 'message',
      message: { ...base, text: 'Menu for tonight\n📎 menu.jpg (481 KB)\n📎 wine.pdf (900 B)' },
    });
    const onlyFiles = forProtocol2({ type: 'message', message: { ...withFiles, text: '' } });
    expect(onlyFiles.type === 'message' && onlyFiles.message.text).toBe('📎 menu.jpg (481 KB)\n📎 wine.pdf (900 B)');
  });

  it('rewrite pages too, and leave frames without files as they are (the same object)', () => {
    const page = {
      type: 'messages' as const,
      conversationId: 'general',
      direction: 'forward' as const,
      messages: [base, withFiles],
      hasMore: false,
    };
    const older = forProtocol2(page);
    expect(older.type === 'messages' && older.messages.map((m) => m.attachments)).toEqual([undefined, undefined]);
    const plain = { type: 'message' as const, message: base };
    expect(forProtocol2(plain)).toBe(plain);
    expect(hasFiles(plain)).toBe(false);
    expect(hasFiles(page)).toBe(true);
  });

  it('a shared frame with files builds its older form once, on demand', () => {
    const shared = shareFrame({ type: 'message', message: withFiles });
    expect(shared.older).toBeDefined();
    const older = shared.older?.();
    expect(shared.older?.()).toBe(older);
    expect(JSON.parse(older?.payload.toString() ?? '{}')).not.toHaveProperty('message.attachments');
    expect(shareFrame({ type: 'message', message: base }).older).toBeUndefined();
  });
});
