import { describe, expect, it } from 'vitest';
import { formatHost, parseHostHeader } from './hostHeader';

describe('parseHostHeader', () => {
  it.each([
    ['192.168.1.20:7420', '192.168.1.20:7420'],
    ['Kitchen-PC.local:7420', 'kitchen-pc.local:7420'],
    ['my_pc', 'my_pc'],
    ['[::1]:7420', '[::1]:7420'],
    ['[FE80::1]', '[fe80::1]'],
    ['localhost:07420', 'localhost:7420'],
  ])('accepts %s as %s', (raw, canonical) => {
    const host = parseHostHeader(raw);
    expect(host && formatHost(host)).toBe(canonical);
  });

  it.each([
    undefined,
    '',
    'localhost:',
    'localhost:0',
    'localhost:65536',
    'localhost:1:2',
    'local host',
    'localhost;',
    "localhost'",
    'localhost"',
    '*',
    '*.example',
    'localhost:*',
    '[::1',
    '[::1]x',
    '[::1]:1;x',
    '[fe80::1%eth0]',
    '[localhost]',
    '-bad.example',
    `${'a'.repeat(64)}.example`,
    'a\u0131.example',
  ])('refuses %j', (raw) => {
    expect(parseHostHeader(raw)).toBeUndefined();
  });
});
