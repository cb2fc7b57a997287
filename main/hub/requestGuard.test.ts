import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin } from './requestGuard';

describe('checkHost', () => {
  it.each([
    '127.0.0.1:7420',
    '192.168.1.20:7420',
    '[::1]:7420',
    'localhost:7420',
    'LOCALHOST',
    `${hostname()}.local:7420`,
    hostname(),
  ])('allows %s', (h) => {
    expect(checkHost(h, {})).toBeUndefined();
  });

  it.each(['evil.example', 'evil.example:7420', 'localhost.evil.example', '127.0.0.1.nip.io'])(
    'refuses %s (DNS rebinding)',
    (h) => {
      expect(checkHost(h, {})).toMatchObject({ status: 403, code: 'HOST_NOT_ALLOWED' });
    },
  );

  it('allows configured names and refuses a missing header', () => {
    expect(checkHost('roost.lan:80', { allowedHosts: ['roost.lan'] })).toBeUndefined();
    expect(checkHost(undefined, {})).toMatchObject({ status: 400 });
  });
});

describe('checkOrigin', () => {
  it('allows native clients (no Origin), the hub itself and configured origins', () => {
    expect(checkOrigin(undefined, '10.0.0.2:7420', {})).toBeUndefined();
    expect(checkOrigin('http://10.0.0.2:7420', '10.0.0.2:7420', {})).toBeUndefined();
    expect(
      checkOrigin('http://localhost:5173', '127.0.0.1:7420', { allowedOrigins: ['http://localhost:5173'] }),
    ).toBeUndefined();
  });

  it('allows the desktop app (app://roost), whose renderer may join any hub on the LAN', () => {
    expect(checkOrigin('app://roost', '10.0.0.2:7420', {})).toBeUndefined();
    expect(checkOrigin('app://roostx', '10.0.0.2:7420', {})).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
  });

  it.each(['http://evil.example', 'http://10.0.0.2:7421', 'null', 'file://', 'https://10.0.0.2'])('refuses %s', (o) => {
    expect(checkOrigin(o, '10.0.0.2:7420', {})).toMatchObject({ status: 403, code: 'ORIGIN_NOT_ALLOWED' });
  });
});
