import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_FRAME_TYPES } from './clientFrames';
import { LIMITS } from './limits';
import { parseClientFrame, parseServerFrame } from './parse';

/** Shaped as protocol 2 wants them (deviceProof.ts); the parser checks shapes, the hub checks keys and signatures. */
const PUBLIC_KEY = 'A'.repeat(122);
const SIGNATURE = 'S'.repeat(86);

describe('parseClientFrame', () => {
  it('accepts a valid frame and trims names', () => {
    const r = parseClientFrame(
      JSON.stringify({
        type: 'pair',
        rid: 'x',
        credential: { kind: 'joinToken', token: 'join-token', displayName: '  Ann ' },
        device: { name: 'Phone', platform: 'ios' },
        publicKey: PUBLIC_KEY,
        signature: SIGNATURE,
      }),
    );
    expect(r).toMatchObject({ ok: true, frame: { type: 'pair', credential: { displayName: 'Ann' } } });
  });

  it('refuses a code in `pair`: codes never travel, they key pakeStart (protocol 2)', () => {
    const r = parseClientFrame(
      JSON.stringify({
        type: 'pair',
        credential: { kind: 'code', code: '123456', displayName: 'Ann' },
        device: { name: 'Phone', platform: 'ios' },
        publicKey: PUBLIC_KEY,
        signature: SIGNATURE,
      }),
    );
    expect(r).toMatchObject({ ok: false, code: 'BAD_FRAME', frameType: 'pair' });
  });

  it('maps unknown platforms to "other" instead of failing', () => {
    const r = parseClientFrame(
      JSON.stringify({
        type: 'pakeStart',
        credential: { kind: 'linkCode', handle: 'AB' },
        device: { name: 'Toaster', platform: 'toasteros' },
        publicKey: PUBLIC_KEY,
        share: 'B'.repeat(87),
      }),
    );
    expect(r.ok && r.frame.type === 'pakeStart' && r.frame.device.platform).toBe('other');
  });

  it('ignores unknown fields so newer clients can add them', () => {
    const r = parseClientFrame(JSON.stringify({ type: 'typing', conversationId: 'general', futureField: 1 }));
    expect(r).toEqual({ ok: true, frame: { type: 'typing', conversationId: 'general' } });
  });

  it.each([
    ['not json', 'BAD_JSON'],
    ['null', 'BAD_FRAME'],
    ['"text"', 'BAD_FRAME'],
    ['{"type":7}', 'BAD_FRAME'],
    ['{"type":"nope"}', 'UNKNOWN_TYPE'],
    ['{"type":"send","conversationId":"general","clientMsgId":"short","text":"x"}', 'BAD_FRAME'],
    ['{"type":"fetchMessages","conversationId":"general","direction":"sideways","cursor":0}', 'BAD_FRAME'],
    ['{"type":"markRead","conversationId":"general","seq":-1}', 'BAD_FRAME'],
    ['{"type":"markRead","conversationId":"general","seq":1.5}', 'BAD_FRAME'],
  ])('%s → %s', (text, code) => {
    const r = parseClientFrame(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('names the offending field and echoes type and rid', () => {
    const r = parseClientFrame(
      JSON.stringify({ type: 'send', rid: 'q', conversationId: 'general', clientMsgId: 'abcdefgh', text: 5 }),
    );
    expect(r).toMatchObject({ ok: false, code: 'BAD_FRAME', frameType: 'send', rid: 'q' });
    if (!r.ok) expect(r.message).toContain('text');
  });

  it('still names the frame type when the rid itself is bad', () => {
    const r = parseClientFrame(JSON.stringify({ type: 'typing', rid: 42, conversationId: 'general' }));
    expect(r).toMatchObject({ ok: false, code: 'BAD_FRAME', frameType: 'typing' });
    if (!r.ok) expect(r.rid).toBeUndefined();
  });

  it('does not echo an empty rid, which the error frame itself could not carry', () => {
    const r = parseClientFrame(JSON.stringify({ type: 'typing', rid: '', conversationId: 'general' }));
    expect(r).toMatchObject({ ok: false, code: 'BAD_FRAME', frameType: 'typing' });
    if (!r.ok) expect(r.rid).toBeUndefined();
    if (!r.ok)
      expect(
        parseServerFrame(
          JSON.stringify({ type: 'error', rid: r.rid, code: r.code, message: r.message, frameType: r.frameType }),
        ).ok,
      ).toBe(true);
  });

  describe('JSON bounds', () => {
    afterEach(() => void vi.restoreAllMocks());
    const nested = (depth: number) => `{"type":"ping","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

    it(`refuses JSON nested deeper than ${LIMITS.maxJsonDepth} without parsing it`, () => {
      const parse = vi.spyOn(JSON, 'parse');
      const r = parseClientFrame(nested(LIMITS.maxJsonDepth + 1));
      expect(r).toMatchObject({ ok: false, code: 'BAD_FRAME' });
      if (!r.ok) expect(r.message).toContain(`deeper than ${LIMITS.maxJsonDepth}`);
      expect(parse).not.toHaveBeenCalled();
      expect(parseClientFrame(nested(LIMITS.maxJsonDepth))).toMatchObject({ ok: true });
    });

    it(`refuses more than ${LIMITS.maxJsonElements} keys and values without parsing them`, () => {
      const parse = vi.spyOn(JSON, 'parse');
      const r = parseClientFrame(`{"type":"ping","x":[${'0,'.repeat(LIMITS.maxJsonElements)}0]}`);
      expect(r).toMatchObject({ ok: false, code: 'BAD_FRAME' });
      if (!r.ok) expect(r.message).toContain(`more than ${LIMITS.maxJsonElements}`);
      expect(parse).not.toHaveBeenCalled();
    });

    it('passes the largest frames a client sends, whatever their strings hold', () => {
      const ids = Array.from({ length: LIMITS.maxMembersPerRequest }, (_, i) => `user-${i}`);
      expect(
        parseClientFrame(JSON.stringify({ type: 'createGroup', rid: 'r', name: 'G', memberUserIds: ids })).ok,
      ).toBe(true);
      const text = '[{"a":1},'.repeat(LIMITS.maxTextLength / 9) + '\\"';
      expect(text.length).toBeLessThanOrEqual(LIMITS.maxTextLength);
      const send = { type: 'send', rid: 'r', conversationId: 'general', clientMsgId: 'abcdefgh', text };
      expect(parseClientFrame(JSON.stringify(send))).toMatchObject({ ok: true, frame: { text } });
    });
  });

  it('parses the largest frame a client sends before ready in half the size allowed then', () => {
    // Every character escaped, and outside the BMP: 12 bytes of JSON per code point.
    const escaped = (n: number) => '\\uD83D\\uDE00'.repeat(n);
    // A base64url field can only be escaped one ASCII character at a time: 6 bytes each.
    const escapedAscii = (s: string) => s.replace(/./g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    const max = (s: string) => `"${s}"`;
    // `pair` is the largest: it has a secret and two names besides the key (pakeStart has one or the other, auth
    // neither).
    const text =
      `{"type":"pair","rid":${max(escaped(32))},"credential":{"kind":"joinToken",` +
      `"token":${max(escaped(64))},"displayName":${max(escaped(LIMITS.maxNameLength))}},` +
      `"device":{"name":${max(escaped(LIMITS.maxNameLength))},"platform":"windows"},` +
      `"publicKey":${max(escapedAscii(PUBLIC_KEY))},"signature":${max(escapedAscii(SIGNATURE))}}`;
    expect(new TextEncoder().encode(text).length).toBeLessThan(LIMITS.maxPreReadyFrameBytes / 2);
    expect(parseClientFrame(text)).toMatchObject({ ok: true, frame: { type: 'pair' } });
  });

  it('knows every client frame type', () => {
    expect(CLIENT_FRAME_TYPES).toContain('hello');
    expect(new Set(CLIENT_FRAME_TYPES).size).toBe(CLIENT_FRAME_TYPES.length);
  });
});

describe('parseServerFrame', () => {
  it('marks frames of types it does not know, so clients can skip them', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'hologram', x: 1 }))).toMatchObject({
      ok: false,
      code: 'UNKNOWN_TYPE',
      frameType: 'hologram',
    });
  });

  it('reads unknown error codes from a newer hub as INTERNAL', () => {
    const r = parseServerFrame(JSON.stringify({ type: 'error', code: 'SOMETHING_NEW', message: 'm' }));
    expect(r).toMatchObject({ ok: true, frame: { code: 'INTERNAL' } });
  });
});
