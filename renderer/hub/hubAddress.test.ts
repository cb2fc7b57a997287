import { describe, expect, it } from 'vitest';
import { addressFromLocation, isHubInfo, parseHubAddress } from './hubAddress';

describe('hub address', () => {
  it('takes the hub that served the page from its location', () => {
    expect(addressFromLocation({ protocol: 'http:', host: '192.168.1.20:7420' })).toEqual({
      wsUrl: 'ws://192.168.1.20:7420/ws',
      label: '192.168.1.20:7420',
      servedByHub: true,
      databaseName: 'roost',
    });
  });

  it.each([
    ['192.168.1.20', 'wss://192.168.1.20:7420/ws'],
    ['  kitchen-pc.local:8000 ', 'wss://kitchen-pc.local:8000/ws'],
    ['127.0.0.1:7420', 'ws://127.0.0.1:7420/ws'],
    ['localhost', 'ws://localhost:7420/ws'],
    ['http://192.168.1.20:7420/', 'ws://192.168.1.20:7420/ws'],
    ['http://192.168.1.20:80/#join=abc', 'ws://192.168.1.20:80/ws'],
    ['https://hub.example', 'wss://hub.example:7420/ws'],
    ['ws://10.0.0.2:7420/ws', 'ws://10.0.0.2:7420/ws'],
    ['[::1]:7420', 'ws://[::1]:7420/ws'],
  ])('reads %j as %s', (input, wsUrl) => {
    const parsed = parseHubAddress(input);
    expect(parsed.ok && parsed.address.wsUrl).toBe(wsUrl);
  });

  it('keeps one database per hub address', () => {
    const parsed = parseHubAddress('10.0.0.2');
    expect(parsed.ok && parsed.address.databaseName).toBe('roost@10.0.0.2:7420');
  });

  it.each(['', '   ', 'ftp://10.0.0.2', 'http://', 'a b c'])('refuses %j with a message', (input) => {
    const parsed = parseHubAddress(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.length).toBeGreaterThan(10);
  });

  it('recognises the hub’s /api/info answer', () => {
    expect(isHubInfo({ id: 'abc', name: 'Kitchen', protocolVersion: 1, appVersion: '0.1.0' })).toBe(true);
    expect(isHubInfo('<!doctype html>')).toBe(false);
    expect(isHubInfo({ id: 'abc' })).toBe(false);
    expect(isHubInfo(null)).toBe(false);
  });
});
