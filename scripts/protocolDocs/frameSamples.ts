import { LIMITS, WHITESPACE_RANGES } from '../../shared/protocol';
import { CLIENT_FRAME_EXAMPLES, SERVER_FRAME_EXAMPLES } from '../../shared/protocol/examples';
import type { JsonSchema } from './schemaFields';

/** A frame to check against both the zod schemas and the JSON Schema; `valid` is what the protocol says. */
export type Sample = { label: string; side: 'client' | 'hub'; frame: unknown; valid: boolean };

const emoji = (n: number) => '😀'.repeat(n);
const EVERY_WHITESPACE = WHITESPACE_RANGES.flatMap(([first, last]) =>
  Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i)),
);

const send = (text: string) => ({ type: 'send', conversationId: 'general', clientMsgId: 'msg-00000001', text });
const rename = (name: unknown) => ({ type: 'renameDevice', deviceId: 'abc', name });
const ping = (rid: unknown) => ({ type: 'ping', rid });
const fetch = (extra: object) => ({
  type: 'fetchMessages',
  conversationId: 'general',
  direction: 'forward',
  cursor: 0,
  ...extra,
});
const pairWith = (device: object) => ({
  ...CLIENT_FRAME_EXAMPLES.pair,
  device: { name: 'Phone', ...device },
});

/** Hand-picked edges: lengths in code points, whitespace, ranges, lenient enums, unknown fields. */
const EDGES: Array<[label: string, frame: unknown, valid: boolean]> = [
  ['rid of 1', ping('x'), true],
  ['empty rid', ping(''), false],
  ['rid of 64', ping('r'.repeat(64)), true],
  ['rid of 65', ping('r'.repeat(65)), false],
  ['rid of 64 emoji (128 UTF-16 units)', ping(emoji(64)), true],
  ['rid of 65 emoji', ping(emoji(65)), false],
  ['rid not a string', ping(7), false],
  [`text of ${LIMITS.maxTextLength} emoji`, send(emoji(LIMITS.maxTextLength)), true],
  [`text of ${LIMITS.maxTextLength + 1}`, send('x'.repeat(LIMITS.maxTextLength + 1)), false],
  ['empty text', send(''), false],
  ['text of all whitespace', send(EVERY_WHITESPACE.join('')), false],
  ...EVERY_WHITESPACE.map((ws): [string, unknown, boolean] => [
    `text of only U+${ws.codePointAt(0)!.toString(16).padStart(4, '0')}`,
    send(ws.repeat(3)),
    false,
  ]),
  ['text of a zero-width space (not whitespace)', send('\u200b'), true],
  ['text of a next-line U+0085 (not whitespace)', send('\u0085'), true],
  ['text of a lone surrogate', send('\ud800'), true],
  ['text with whitespace around', send('  hi \n'), true],
  ['name with whitespace around', rename('\u3000 Ann \t'), true],
  ['blank name', rename(' \u00a0 '), false],
  ['empty name', rename(''), false],
  [`name of ${LIMITS.maxNameLength} emoji, padded`, rename(` ${emoji(LIMITS.maxNameLength)}\n`), true],
  [`name of ${LIMITS.maxNameLength + 1} emoji`, rename(emoji(LIMITS.maxNameLength + 1)), false],
  ['name of 64 with spaces inside', rename(`a${' '.repeat(62)}b`), true],
  ['name of 65 with spaces inside', rename(`a${' '.repeat(63)}b`), false],
  ['name with a line break inside', rename('a\nb'), false],
  ['name with a right-to-left override inside', rename('Ann\u202egnp.exe'), false],
  ['name with a zero-width space inside', rename('An\u200bn'), false],
  ['name of a Hangul filler', rename('\u3164'), false],
  ['name with an emoji ZWJ sequence', rename('Ann 👩\u200d💻'), true],
  ['name with a ZWNJ in Persian', rename('علی\u200cرضا'), true],
  ['name with a ZWJ between Latin letters', rename('An\u200dn'), false],
  ['name not a string', rename(5), false],
  ['id of 64', { type: 'removeDevice', deviceId: 'i'.repeat(64) }, true],
  ['id of 65', { type: 'removeDevice', deviceId: 'i'.repeat(65) }, false],
  ['id with a dot', { type: 'removeDevice', deviceId: 'a.b' }, false],
  ['clientMsgId of 7', { ...send('hi'), clientMsgId: 'abcdefg' }, false],
  ['cursor -1', fetch({ cursor: -1 }), false],
  ['cursor 1.5', fetch({ cursor: 1.5 }), false],
  ['cursor 2^53 - 1', fetch({ cursor: Number.MAX_SAFE_INTEGER }), true],
  ['cursor 2^53', fetch({ cursor: 2 ** 53 }), false],
  ['limit 0', fetch({ limit: 0 }), false],
  [`limit ${LIMITS.maxPageSize}`, fetch({ limit: LIMITS.maxPageSize }), true],
  [`limit ${LIMITS.maxPageSize + 1}`, fetch({ limit: LIMITS.maxPageSize + 1 }), false],
  ['direction sideways', fetch({ direction: 'sideways' }), false],
  [
    `group of ${LIMITS.maxMembersPerRequest}`,
    { type: 'createGroup', name: 'G', memberUserIds: Array(LIMITS.maxMembersPerRequest).fill('u') },
    true,
  ],
  [
    `group of ${LIMITS.maxMembersPerRequest + 1}`,
    { type: 'createGroup', name: 'G', memberUserIds: Array(LIMITS.maxMembersPerRequest + 1).fill('u') },
    false,
  ],
  ['addMembers of none', { type: 'addMembers', conversationId: 'g', userIds: [] }, false],
  ['unknown platform', pairWith({ platform: 'toasteros' }), true],
  ['platform not a string', pairWith({ platform: 5 }), true],
  ['no platform', pairWith({}), true],
  ['unknown credential kind', { ...pairWith({}), credential: { kind: 'magic', code: 'x' } }, false],
  [
    'secret of 129',
    { ...pairWith({}), credential: { kind: 'joinToken', token: 'c'.repeat(129), displayName: 'Ann' } },
    false,
  ],
  ['a code in pair', { ...pairWith({}), credential: { kind: 'code', code: '123456', displayName: 'Ann' } }, false],
  ['public key one short', { ...pairWith({}), publicKey: CLIENT_FRAME_EXAMPLES.pair.publicKey.slice(1) }, false],
  ['signature with a +', { ...pairWith({}), signature: `+${CLIENT_FRAME_EXAMPLES.pair.signature.slice(1)}` }, false],
  ['hello with protocol -1', { type: 'hello', protocol: -1 }, false],
  ['hello with a client of 65', { type: 'hello', protocol: 2, client: 'c'.repeat(65) }, false],
  ['unknown fields', { type: 'typing', conversationId: 'general', mood: 'happy' }, true],
  ['unknown type', { type: 'hologram' }, false],
  ['not an object', [1, 2], false],
];

const HUB_EDGES: Array<[label: string, frame: unknown, valid: boolean]> = [
  ['error with an unknown code', { type: 'error', code: 'SOMETHING_NEW', message: 'm' }, true],
  ['error without a code', { type: 'error', message: 'm' }, true],
  ['error with an empty rid', { type: 'error', rid: '', code: 'BAD_FRAME', message: 'm' }, false],
  ['unknown hub type', { type: 'hologram' }, false],
];

/** A value of another JSON type than the field's, or undefined when every value is allowed. */
function wrongValue(field: JsonSchema): unknown {
  if (field.type === 'string' || field.const !== undefined) return 12;
  if (field.type === 'integer' || field.type === 'boolean' || field.type === 'array') return 'x';
  if (field.type === 'object' || field.$ref || field.oneOf) return 'x';
  return undefined;
}

/** The example, each required field dropped in turn, and each field given a value of the wrong type. */
function variants(side: 'client' | 'hub', type: string, example: object, schema: JsonSchema): Sample[] {
  const samples: Sample[] = [{ label: `${side} ${type}: the example`, side, frame: example, valid: true }];
  for (const key of schema.required ?? []) {
    if (key === 'type') continue;
    const { [key]: _dropped, ...rest } = example as Record<string, unknown>;
    samples.push({ label: `${side} ${type} without ${key}`, side, frame: rest, valid: false });
  }
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const wrong = wrongValue(field);
    if (key === 'type' || wrong === undefined) continue;
    samples.push({
      label: `${side} ${type} with ${key}: ${JSON.stringify(wrong)}`,
      side,
      frame: { ...example, [key]: wrong },
      valid: false,
    });
  }
  return samples;
}

/** Every sample: the examples of every frame and their broken variants, then the edges. */
export function frameSamples(defs: Record<string, JsonSchema>): Sample[] {
  const samples: Sample[] = [];
  for (const [type, example] of Object.entries(CLIENT_FRAME_EXAMPLES))
    samples.push(...variants('client', type, example, defs[`client.${type}`]!));
  for (const [type, example] of Object.entries(SERVER_FRAME_EXAMPLES))
    samples.push(...variants('hub', type, example, defs[`hub.${type}`]!));
  for (const [label, frame, valid] of EDGES) samples.push({ label, side: 'client', frame, valid });
  for (const [label, frame, valid] of HUB_EDGES) samples.push({ label, side: 'hub', frame, valid });
  return samples;
}
