import { describe, expect, it } from 'vitest';
import type { DiscoveredHub, HostingStatus, Setup } from '../../shared/desktop';
import {
  defaultHubName,
  discoveredHubLabel,
  discoveredHubWsUrl,
  heldIdentity,
  hostingErrorText,
  hubNameProblem,
  incompatibleHubText,
  parsePort,
} from './hubSetup';

const hub = (over: Partial<DiscoveredHub> = {}): DiscoveredHub => ({
  hubId: 'h1',
  identity: 'A'.repeat(52),
  name: 'Kitchen',
  protocolVersion: 1,
  compatible: true,
  url: 'https://192.168.1.20:7420/',
  addresses: ['192.168.1.20'],
  port: 7420,
  ...over,
});

describe('hub setup helpers', () => {
  it('names a new hub after the computer', () => {
    expect(defaultHubName('Ann’s laptop')).toBe("Ann’s laptop's hub");
    expect(defaultHubName('kitchen-pc')).toBe("kitchen-pc's hub");
    expect(defaultHubName('Thomas')).toBe("Thomas' hub");
    expect(defaultHubName('  ')).toBe('Roost hub');
    expect(defaultHubName('x'.repeat(80)).length).toBe(63);
  });

  it('checks hub names like the hub does', () => {
    expect(hubNameProblem(' ')).toMatch(/name/);
    expect(hubNameProblem('x'.repeat(64))).toMatch(/63/);
    expect(hubNameProblem('Kitchen')).toBeUndefined();
  });

  it('reads ports', () => {
    expect(parsePort('7420')).toEqual({ ok: true, port: 7420 });
    expect(parsePort('')).toEqual({ ok: true, port: 7420 });
    expect(parsePort('80')).toMatchObject({ ok: false, error: expect.stringMatching(/administrator/) });
    expect(parsePort('70000')).toMatchObject({ ok: false, error: expect.stringMatching(/65535/) });
    expect(parsePort('74a')).toMatchObject({ ok: false, error: expect.stringMatching(/not a port/) });
  });

  it('joins a discovered hub over TLS at the address that answered', () => {
    expect(discoveredHubWsUrl(hub())).toBe('wss://192.168.1.20:7420/ws');
    expect(discoveredHubLabel(hub())).toBe('192.168.1.20:7420');
  });

  it('says why a hub cannot be joined', () => {
    expect(incompatibleHubText(hub())).toBeUndefined();
    expect(incompatibleHubText(hub({ compatible: false, protocolVersion: 9 }), 1)).toMatch(/newer.*Update this app/);
    expect(incompatibleHubText(hub({ compatible: false, protocolVersion: 0 }), 1)).toMatch(/older/);
  });

  it('explains hosting errors', () => {
    expect(hostingErrorText({ state: 'error', code: 'PORT_IN_USE', message: 'EADDRINUSE' }, 7420)).toMatch(
      /Port 7420 is already used/,
    );
    expect(hostingErrorText({ state: 'error', code: 'START_FAILED', message: 'boom' })).toMatch(/boom/);
  });

  it("holds the window to the joined hub's pin, or to its own running hub's identity, else to none", () => {
    const pin = 'P'.repeat(52);
    const own = 'O'.repeat(52);
    expect(heldIdentity({ mode: 'join', hubUrl: 'wss://192.168.1.20:7420/ws', identity: pin }, undefined)).toBe(pin);
    expect(heldIdentity({ mode: 'join', hubUrl: 'wss://192.168.1.20:7420/ws' }, undefined)).toBeUndefined();
    const hosting = { mode: 'host', hosting: { name: 'Den', port: 7420 } } as const;
    const running = { state: 'running', identity: own } as unknown as HostingStatus;
    expect(heldIdentity(hosting as unknown as Setup, running)).toBe(own);
    expect(heldIdentity(hosting as unknown as Setup, { state: 'stopped' } as unknown as HostingStatus)).toBeUndefined();
    expect(heldIdentity({ mode: 'unset' }, running)).toBeUndefined();
  });
});
