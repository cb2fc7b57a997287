import { describe, expect, it } from 'vitest';
import { linkMatchesHub, readJoinLink, readJoinToken } from './joinLink';

describe('readJoinToken', () => {
  it('reads the token of a join link', () => {
    expect(readJoinToken('#join=0zaK-ft544kFj8Kzmccr7t_9J0k_0IrVI6LV4IVfdE0')).toBe(
      '0zaK-ft544kFj8Kzmccr7t_9J0k_0IrVI6LV4IVfdE0',
    );
    expect(readJoinToken('join=abc_DEF-1')).toBe('abc_DEF-1');
  });

  it('ignores other fragments and malformed tokens', () => {
    expect(readJoinToken('')).toBeUndefined();
    expect(readJoinToken('#/c/general')).toBeUndefined();
    expect(readJoinToken('#join=')).toBeUndefined();
    expect(readJoinToken('#join=<script>')).toBeUndefined();
    expect(readJoinToken(`#join=${'a'.repeat(129)}`)).toBeUndefined();
  });
});

const IDENTITY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST';

describe('readJoinLink', () => {
  it("reads the hub's identity beside the token, in the compact or the shown form", () => {
    expect(readJoinLink(`#join=abc&id=${IDENTITY}`)).toEqual({ token: 'abc', identity: IDENTITY });
    expect(readJoinLink('#join=abc&id=abcd-efgh-ijkl-mnop-qrst-uvwx-yz23-4567-abcd-efgh-ijkl-mnop-qrst')).toEqual({
      token: 'abc',
      identity: IDENTITY,
    });
  });

  it('keeps a link without an identity, or with a malformed one, as a token alone', () => {
    expect(readJoinLink('#join=abc')).toEqual({ token: 'abc' });
    expect(readJoinLink('#join=abc&id=NOT-AN-IDENTITY')).toEqual({ token: 'abc' });
    expect(readJoinLink(`#id=${IDENTITY}`)).toBeUndefined();
  });
});

describe('linkMatchesHub', () => {
  it('accepts the hub the link names, or any hub for a link that names none', () => {
    expect(linkMatchesHub(IDENTITY, IDENTITY)).toBe(true);
    expect(linkMatchesHub(undefined, IDENTITY)).toBe(true);
    expect(linkMatchesHub(IDENTITY, IDENTITY.replace('A', 'B'))).toBe(false);
    expect(linkMatchesHub(IDENTITY, undefined)).toBe(false);
  });
});
