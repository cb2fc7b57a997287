import { describe, expect, it } from 'vitest';
import { buildTxtRecord, parseTxtRecord, truncateUtf8 } from './txtRecord';

const good = { v: '1', id: 'hub_A1-b2', name: 'Kitchen', proto: '3' };
const IDENTITY = 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA';

describe('buildTxtRecord', () => {
  it('writes every field as a string, with the format version', () => {
    expect(buildTxtRecord({ id: 'hub_A1-b2', name: 'Kitchen', protocolVersion: 3 })).toEqual(good);
  });

  it('round-trips through parseTxtRecord', () => {
    const advert = { id: 'h1', name: 'Café ☕', protocolVersion: 1 };
    expect(parseTxtRecord(buildTxtRecord(advert))).toEqual({ ok: true, advert });
  });

  it('keeps `name=value` within the 255 bytes a TXT string may hold', () => {
    const { name } = buildTxtRecord({ id: 'h1', name: '🦜'.repeat(64), protocolVersion: 1 });
    expect(Buffer.byteLength(`name=${name}`)).toBeLessThanOrEqual(255);
    expect(name).toBe('🦜'.repeat(62)); // whole characters only
  });

  it('announces the identity as `ik`, within one TXT string, and round-trips it', () => {
    const advert = { id: 'h1', name: 'Den', protocolVersion: 1, identity: IDENTITY };
    const txt = buildTxtRecord(advert);
    expect(txt.ik).toBe(IDENTITY);
    expect(Buffer.byteLength(`ik=${txt.ik}`)).toBeLessThanOrEqual(255);
    expect(parseTxtRecord(txt)).toEqual({ ok: true, advert });
  });

  it('rejects an invalid identity, which would be a bug in the caller', () => {
    expect(() => buildTxtRecord({ id: 'h1', name: 'x', protocolVersion: 1, identity: 'short' })).toThrow();
  });

  it('rejects an invalid hub id, which would be a bug in the caller', () => {
    expect(() => buildTxtRecord({ id: 'not an id', name: 'x', protocolVersion: 1 })).toThrow();
  });
});

describe('parseTxtRecord', () => {
  it('parses a good record', () => {
    expect(parseTxtRecord(good)).toEqual({
      ok: true,
      advert: { id: 'hub_A1-b2', name: 'Kitchen', protocolVersion: 3 },
    });
  });

  it('accepts values as Buffers, keys in any case, and ignores unknown keys', () => {
    const txt = {
      V: Buffer.from('1'),
      ID: Buffer.from('h1'),
      Name: Buffer.from(' Den '),
      proto: Buffer.from('12'),
      extra: 'x',
    };
    expect(parseTxtRecord(txt)).toEqual({ ok: true, advert: { id: 'h1', name: 'Den', protocolVersion: 12 } });
  });

  it('reads `ik` as the announced identity, and lists a hub from before identities without one', () => {
    expect(parseTxtRecord({ ...good, IK: Buffer.from(IDENTITY) })).toMatchObject({
      ok: true,
      advert: { identity: IDENTITY },
    });
    const older = parseTxtRecord(good);
    expect(older.ok && 'identity' in older.advert).toBe(false);
  });

  it('shortens an over-long name from a newer hub instead of hiding the hub', () => {
    const result = parseTxtRecord({ ...good, name: 'n'.repeat(100) });
    expect(result.ok && result.advert.name).toBe('n'.repeat(64));
  });

  for (const key of ['v', 'id', 'name', 'proto'] as const) {
    it(`rejects a record missing ${key}`, () => {
      const { [key]: _dropped, ...rest } = good;
      const result = parseTxtRecord(rest);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(new RegExp(`^${key}:`));
    });
  }

  const garbage: Array<[string, unknown]> = [
    ['not an object', 'v=1'],
    ['null', null],
    ['an array', [Buffer.from('v=1')]],
    ['another TXT format version', { ...good, v: '2' }],
    ['an id with spaces', { ...good, id: 'a b' }],
    ['an over-long id', { ...good, id: 'x'.repeat(65) }],
    ['a blank name', { ...good, name: '   ' }],
    ['a non-numeric proto', { ...good, proto: 'abc' }],
    ['a negative proto', { ...good, proto: '-1' }],
    ['a fractional proto', { ...good, proto: '1.5' }],
    ['a proto too large', { ...good, proto: '9'.repeat(20) }],
    ['a key without a value', { ...good, id: undefined }],
    ['a number where text belongs', { ...good, proto: 3 }],
    ['bytes that are not UTF-8', { ...good, name: Buffer.from([0xff, 0xfe]) }],
    ['an identity that is not 52 base32 characters', { ...good, ik: IDENTITY.slice(1) }],
    ['an identity in lower case', { ...good, ik: IDENTITY.toLowerCase() }],
  ];
  for (const [name, txt] of garbage) {
    it(`rejects ${name}`, () => {
      expect(parseTxtRecord(txt)).toMatchObject({ ok: false, error: expect.any(String) });
    });
  }
});

describe('hub names with invisible or text-direction characters', () => {
  const characters = [
    0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c, 0x200b, 0x200c,
    0x200d, 0x2060, 0xfeff, 0x00ad, 0x3164, 0x0000, 0x001b, 0x2028,
  ];

  it.each(characters.map((cp) => [cp.toString(16).toUpperCase().padStart(4, '0'), cp]))(
    'a browsed advert whose name holds U+%s is refused, saying which character',
    (hex, cp) => {
      const result = parseTxtRecord({ ...good, name: `Kit${String.fromCodePoint(cp)}chen` });
      expect(result).toEqual({ ok: false, error: expect.stringContaining(`name: must not contain invisible`) });
      expect(!result.ok && result.error).toContain(`U+${hex}`);
    },
  );

  it('keeps emoji sequences in a browsed name', () => {
    expect(parseTxtRecord({ ...good, name: 'Den 👩‍💻' })).toMatchObject({ ok: true, advert: { name: 'Den 👩‍💻' } });
  });

  it('our own hub advertises its name without them, so an older name does not hide it', () => {
    const { name } = buildTxtRecord({ id: 'h1', name: 'Kit\u202Echen\u200B', protocolVersion: 1 });
    expect(name).toBe('Kitchen');
    expect(parseTxtRecord(buildTxtRecord({ id: 'h1', name: '\u3164', protocolVersion: 1 }))).toMatchObject({
      ok: true,
      advert: { name: 'Roost hub' },
    });
  });
});

describe('truncateUtf8', () => {
  it('never splits a character', () => {
    expect(truncateUtf8('aé', 2)).toBe('a');
    expect(truncateUtf8('aé', 3)).toBe('aé');
    expect(truncateUtf8('🦜🦜', 5)).toBe('🦜');
  });
});
