import { describe, expect, it } from 'vitest';
import type { BridgeHandlers } from '../../shared/desktop';
import { BridgeCallError, dispatchBridgeCall, isTrustedSender, parseBridgeArgs } from './ipcGuard';

describe('parseBridgeArgs', () => {
  it('returns the arguments as the schema parses them', () => {
    expect(parseBridgeArgs('startHosting', [{ name: '  Kitchen  ', port: 7420 }])).toEqual({
      ok: true,
      args: [{ name: 'Kitchen', port: 7420 }],
    });
    expect(parseBridgeArgs('getSetup', [])).toEqual({ ok: true, args: [] });
  });

  it.each([
    ['startHosting', [{ name: '', port: 7420 }]],
    ['startHosting', [{ name: 'Hub', port: 70000 }]],
    ['startHosting', []],
    ['getSetup', ['extra']],
    ['chooseJoin', ['http://192.168.1.2:7420/']],
    ['notify', [{ conversationId: 'general', title: '', body: 'x' }]],
    ['setUnreadCount', [-1]],
    ['setMuted', ['yes']],
    ['openExternal', ['file:///etc/passwd']],
  ])('refuses %s(%j) with BAD_ARGUMENTS', (name, args) => {
    const result = parseBridgeArgs(name as 'startHosting', args);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(BridgeCallError);
    expect(result.error.code).toBe('BAD_ARGUMENTS');
    expect(result.error.message).toMatch(new RegExp(`^BAD_ARGUMENTS: ${name}: `));
  });
});

describe('isTrustedSender', () => {
  it('trusts only the main frame of our window showing app://roost', () => {
    expect(isTrustedSender({ url: 'app://roost/index.html', isMainFrameOfOurWindow: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://roost/', isMainFrameOfOurWindow: true })).toBe(true);
  });

  it.each([
    ['an iframe or another window', { url: 'app://roost/index.html', isMainFrameOfOurWindow: false }],
    ['a web page', { url: 'https://evil.example/', isMainFrameOfOurWindow: true }],
    ['a hub-served page', { url: 'http://192.168.1.20:7420/', isMainFrameOfOurWindow: true }],
    ['another host on our scheme', { url: 'app://evil/index.html', isMainFrameOfOurWindow: true }],
    ['a look-alike host', { url: 'app://roost.evil/', isMainFrameOfOurWindow: true }],
    ['credentials', { url: 'app://x@roost/', isMainFrameOfOurWindow: true }],
    ['a file', { url: 'file:///tmp/x.html', isMainFrameOfOurWindow: true }],
    ['about:blank', { url: 'about:blank', isMainFrameOfOurWindow: true }],
    ['garbage', { url: 'not a url', isMainFrameOfOurWindow: true }],
  ])('refuses %s', (_what, frame) => {
    expect(isTrustedSender(frame)).toBe(false);
  });

  it('refuses a destroyed frame', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('dispatchBridgeCall', () => {
  const handlers = {
    getMuted: () => true,
    setUnreadCount: (n: number) => {
      calls.push(n);
    },
  } as unknown as BridgeHandlers;
  const calls: number[] = [];

  it('runs the handler with parsed arguments', async () => {
    expect(await dispatchBridgeCall(handlers, 'getMuted', [])).toBe(true);
    await dispatchBridgeCall(handlers, 'setUnreadCount', [3]);
    expect(calls).toEqual([3]);
  });

  it('refuses unknown methods, inherited names included, and bad arguments before any handler runs', async () => {
    await expect(dispatchBridgeCall(handlers, 'evalInMain', [])).rejects.toThrow(/^UNKNOWN_METHOD: /);
    await expect(dispatchBridgeCall(handlers, 'toString', [])).rejects.toThrow(/^UNKNOWN_METHOD: /);
    await expect(dispatchBridgeCall(handlers, '__proto__', [])).rejects.toThrow(/^UNKNOWN_METHOD: /);
    await expect(dispatchBridgeCall(handlers, 'setUnreadCount', ['3'])).rejects.toThrow(/^BAD_ARGUMENTS: /);
    expect(calls).toEqual([3]);
  });
});
