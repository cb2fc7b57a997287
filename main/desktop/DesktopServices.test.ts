import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENTS, BRIDGE_METHOD_NAMES, type DiscoveredHub } from '../../shared/desktop';
import { expectPaired } from '../hub/testing/devicePairing';
import { TestClient } from '../hub/testing/TestClient';
import { makeTempDir, quietLogger } from '../hub/testing/testHub';
import { DesktopServices, type BridgeEventTuple, type DesktopServicesOptions } from './DesktopServices';
import { createHeadlessShell, type HeadlessShell } from './headlessShell';
import type { DiscoveryCallbacks } from './ports';
import { SETTINGS_FILE_NAME } from './SettingsStore';
import { cleanupsAfterEach } from '../hub/testing/cleanups';

const cleanups = cleanupsAfterEach();

type Opened = { services: DesktopServices; shell: HeadlessShell; events: BridgeEventTuple[]; dir: string };

async function open(options: Partial<DesktopServicesOptions> & { dir?: string } = {}): Promise<Opened> {
  let dir = options.dir;
  if (!dir) {
    const temp = await makeTempDir('roost-desktop-');
    cleanups.push(temp.remove);
    dir = temp.dir;
  }
  const shell = createHeadlessShell({ visible: true, focused: true });
  const services = await DesktopServices.open({
    userDataDir: dir,
    device: { name: 'Ann laptop', platform: 'linux' },
    shell,
    logger: quietLogger,
    // Loopback only and no mDNS: tests never reach the real network.
    hosting: { advertise: false, host: '127.0.0.1' },
    ...options,
  });
  cleanups.push(() => services.close());
  const events: BridgeEventTuple[] = [];
  services.onEvent((...event) => {
    // Every event must fit the contract the renderer parses against.
    BRIDGE_EVENTS[event[0]].parse(event[1]);
    events.push(event);
  });
  return { services, shell, events, dir };
}

const message = { conversationId: 'general', title: 'Bob', body: 'Dinner at 7?' };
const IDENTITY = 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA';

describe('DesktopServices: attention', () => {
  it('notifies only when the window is hidden or unfocused and not muted', async () => {
    const { services, shell } = await open();
    expect(services.notify(message)).toBe(false);
    shell.window = { visible: true, focused: false };
    expect(services.notify(message)).toBe(true);
    shell.window = { visible: false, focused: false };
    expect(services.notify(message)).toBe(true);
    await services.setMuted(true);
    expect(services.notify(message)).toBe(false);
    expect(shell.notifications).toEqual([message, message]);
  });

  it('says whether the window is attended, and pushes each change once', async () => {
    const { services, shell, events } = await open();
    expect(services.windowAttended()).toBe(true);
    shell.window = { visible: true, focused: false };
    shell.window = { visible: false, focused: false };
    shell.window = { visible: true, focused: true };
    expect(events.filter(([name]) => name === 'windowAttended')).toEqual([
      ['windowAttended', false],
      ['windowAttended', true],
    ]);
  });

  it('a click shows the window and asks the renderer to open the conversation', async () => {
    const { services, shell, events } = await open();
    shell.window = { visible: false, focused: false };
    services.notify({ ...message, conversationId: 'c-42' });
    shell.click();
    expect(shell.windowShown).toBe(1);
    expect(events).toContainEqual(['openConversation', 'c-42']);
  });

  it('keeps mute across restarts', async () => {
    const first = await open();
    expect(first.services.getMuted()).toBe(false);
    await first.services.setMuted(true);
    await first.services.close();
    const second = await open({ dir: first.dir });
    expect(second.services.getMuted()).toBe(true);
  });

  it('pushes a mute change once, wherever it came from', async () => {
    const { services, events } = await open();
    await services.setMuted(true);
    await services.setMuted(true);
    await services.setMuted(false);
    expect(events.filter(([name]) => name === 'muted')).toEqual([
      ['muted', true],
      ['muted', false],
    ]);
  });

  it('a mute that cannot be saved still applies everywhere for this session', async () => {
    const { services, events, dir } = await open();
    // A directory where the settings file's temp file goes makes every save fail, even as root.
    await mkdir(path.join(dir, `${SETTINGS_FILE_NAME}.${process.pid}.tmp`), { recursive: true });
    await expect(services.setMuted(true)).resolves.toBeUndefined();
    expect(services.getMuted()).toBe(true);
    expect(events.filter(([name]) => name === 'muted')).toEqual([['muted', true]]);
    expect(services.notify({ conversationId: 'general', title: 'Bob', body: 'hi' })).toBe(false);
  });

  it('refuses to start a hub or change the setup once closing has begun', async () => {
    const { services } = await open();
    const closing = services.close();
    await expect(services.startHosting({ name: 'Late', port: 0 })).rejects.toThrow(/SHUTTING_DOWN/);
    await expect(services.call('chooseHost', [{ name: 'Late', port: 0 }])).rejects.toThrow(/SHUTTING_DOWN/);
    await closing;
    expect(services.hostingStatus()).toEqual({ state: 'off' });
  });

  it('passes the unread total to the shell', async () => {
    const { services, shell } = await open();
    services.setUnreadCount(5);
    expect(shell.unreadCount).toBe(5);
    expect(services.unreadCount()).toBe(5);
  });

  it('opens only http(s) links outside', async () => {
    const { services, shell } = await open();
    expect(await services.openExternal('https://example.com/x')).toBe(true);
    expect(await services.openExternal('file:///etc/passwd')).toBe(false);
    expect(shell.opened).toEqual(['https://example.com/x']);
  });
});

describe('DesktopServices: setup and hosting', () => {
  it('first run: unset, no hub URL, the computer’s identity', async () => {
    const { services } = await open();
    expect(services.getSetup()).toEqual({ mode: 'unset' });
    expect(services.hubUrl()).toBeUndefined();
    expect(services.device()).toEqual({ name: 'Ann laptop', platform: 'linux' });
    expect(services.hostingStatus()).toEqual({ state: 'off' });
    expect(services.ownerTicket()).toBeNull();
  });

  it('hosting: the hub runs from userData/hub, the owner pairs by ticket, it starts again on next launch', async () => {
    const first = await open();
    const status = await first.services.chooseHost({ name: 'Home', port: 0 });
    if (status.state !== 'running') throw new Error(JSON.stringify(status));
    expect(first.services.getSetup()).toEqual({ mode: 'host', hosting: { name: 'Home', port: status.port } });
    expect(first.services.hubUrl()).toBe(`ws://127.0.0.1:${status.port}/ws`);
    expect(first.events.some(([name, payload]) => name === 'hostingStatus' && payload.state === 'running')).toBe(true);
    const lock = await readFile(path.join(first.dir, 'hub', 'hub.lock'), 'utf8');
    expect(JSON.parse(lock).pid).toBe(process.pid);

    const owner = await TestClient.connect(status.port, { headers: { Origin: 'app://roost' } });
    await owner.hello();
    const ticket = first.services.ownerTicket();
    await expectPaired(owner, {
      credential: { kind: 'joinToken', token: ticket!.joinToken, displayName: 'Ann' },
      device: first.services.device(),
    });
    await owner.close();
    await first.services.close();

    const second = await open({ dir: first.dir });
    const again = second.services.hostingStatus();
    expect(again).toMatchObject({ state: 'running', hubId: status.hubId, port: status.port, name: 'Home' });
  });

  it('a failed first start is not saved as the setup', async () => {
    const other = await open();
    const taken = await other.services.startHosting({ name: 'Other', port: 0 });
    if (taken.state !== 'running') throw new Error(JSON.stringify(taken));
    const { services } = await open();
    expect(await services.chooseHost({ name: 'Mine', port: taken.port })).toMatchObject({
      state: 'error',
      code: 'PORT_IN_USE',
    });
    expect(services.getSetup()).toEqual({ mode: 'unset' });
  });

  it('joining elsewhere or resetting stops the own hub', async () => {
    const { services, events } = await open();
    await services.chooseHost({ name: 'Home', port: 0 });
    await services.chooseJoin('ws://192.168.1.20:7420/ws', IDENTITY);
    expect(services.getSetup()).toEqual({ mode: 'join', hubUrl: 'wss://192.168.1.20:7420/ws', identity: IDENTITY });
    expect(services.hubUrl()).toBe('wss://192.168.1.20:7420/ws');
    expect(services.hostingStatus()).toEqual({ state: 'off' });
    expect(events.at(-1)).toEqual(['hostingStatus', { state: 'off' }]);

    await services.chooseHost({ name: 'Home', port: 0 });
    await services.resetSetup();
    expect(services.getSetup()).toEqual({ mode: 'unset' });
    expect(services.hostingStatus()).toEqual({ state: 'off' });
  });

  it('stopHosting keeps the setup; startHosting remembers a new name', async () => {
    const { services, dir } = await open();
    await services.chooseHost({ name: 'Home', port: 0 });
    expect(await services.stopHosting()).toEqual({ state: 'off' });
    expect(services.getSetup().mode).toBe('host');
    expect(services.hubUrl()).toBeUndefined();
    const renamed = await services.startHosting({ name: 'Cabin', port: 0 });
    expect(renamed).toMatchObject({ state: 'running', name: 'Cabin' });
    const saved = JSON.parse(await readFile(path.join(dir, SETTINGS_FILE_NAME), 'utf8'));
    expect(saved.setup.hosting.name).toBe('Cabin');
  });
});

describe('DesktopServices: discovery', () => {
  const hub: DiscoveredHub = {
    hubId: 'h1',
    identity: IDENTITY,
    name: 'Attic',
    protocolVersion: 2,
    compatible: true,
    url: 'https://10.0.0.5:7420/',
    addresses: ['10.0.0.5'],
    port: 7420,
  };

  it('lists and pushes what the discovery source finds, knows its own hub, and stops it on close', async () => {
    let callbacks: DiscoveryCallbacks | undefined;
    let stopped = false;
    let refreshed = 0;
    let found: DiscoveredHub[] = [];
    const { services, events } = await open({
      discovery: (cb) => {
        callbacks = cb;
        return { hubs: () => found, refresh: () => refreshed++, stop: async () => void (stopped = true) };
      },
    });
    expect(services.discoveredHubs()).toEqual([]);
    found = [hub];
    callbacks!.onChange(found);
    expect(services.discoveredHubs()).toEqual([hub]);
    expect(events).toContainEqual(['discoveredHubs', [hub]]);

    expect(callbacks!.selfHubId()).toBeUndefined();
    const status = await services.chooseHost({ name: 'Home', port: 0 });
    expect(callbacks!.selfHubId()).toBe(status.state === 'running' ? status.hubId : 'not running');
    expect(refreshed).toBe(1);

    await services.close();
    expect(stopped).toBe(true);
  });

  it('works with no discovery at all', async () => {
    const { services } = await open({ discovery: undefined });
    expect(services.discoveredHubs()).toEqual([]);
  });
});

describe('DesktopServices as a bridge backend', () => {
  it('offers every bridge method as a detached handler', async () => {
    const { services } = await open();
    expect(Object.keys(services.handlers).sort()).toEqual([...BRIDGE_METHOD_NAMES].sort());
    const { getSetup, setMuted, getMuted } = services.handlers;
    expect(await getSetup()).toEqual({ mode: 'unset' });
    await setMuted(true);
    expect(await getMuted()).toBe(true);
  });

  it('call() checks names and arguments like the IPC handlers', async () => {
    const { services } = await open();
    await expect(services.call('setUnreadCount', [-3])).rejects.toThrow(/^BAD_ARGUMENTS: setUnreadCount/);
    await expect(services.call('constructor', [])).rejects.toThrow(/^UNKNOWN_METHOD/);
    await expect(services.call('startHosting', [{ name: '   ', port: 0 }])).rejects.toThrow(/^BAD_ARGUMENTS/);
    expect(await services.call('hostingStatus', [])).toEqual({ state: 'off' });
  });

  it('on(event) delivers one event’s payloads and unsubscribes', async () => {
    const { services, shell } = await open();
    const opened: string[] = [];
    const off = services.on('openConversation', (id) => opened.push(id));
    shell.window = { visible: false, focused: false };
    services.notify(message);
    shell.click();
    off();
    services.notify(message);
    shell.click();
    expect(opened).toEqual(['general']);
  });
});

describe("DesktopServices: the owner's controls", () => {
  it('lists people, removes a device and a person, deletes a message, and reads the audit log', async () => {
    const { services, events } = await open();
    await services.chooseHost({ name: 'Den', port: 0 });
    const port = Number(new URL(services.hubUrl()!).port);
    const pair = async (name: string) => {
      const client = await TestClient.connect(port);
      cleanups.push(() => client.close());
      await client.hello();
      const { paired } = await expectPaired(client, {
        credential: { kind: 'joinToken', token: services.ownerTicket()!.joinToken, displayName: name },
        device: { name: `${name} phone`, platform: 'android' },
      });
      return { client, ...paired };
    };
    const bob = await pair('Bob');
    const eve = await pair('Eve');
    expect(services.people().map((u) => [u.displayName, u.devices.length])).toEqual([
      ['Bob', 1],
      ['Eve', 1],
    ]);

    const sent = await eve.client.expect(
      { type: 'send', conversationId: 'general', clientMsgId: 'eve-0000001', text: 'spam' },
      'ack',
    );
    await services.deleteMessage('general', sent.seq);
    await bob.client.nextOf('message', (f) => f.message.deletes === sent.seq);

    expect(await services.removeAnyDevice(bob.deviceId)).toMatchObject({ name: 'Bob phone', userName: 'Bob' });
    expect((await bob.client.waitClosed()).code).toBe(4003);
    expect(await services.removeUser(eve.userId)).toMatchObject({ displayName: 'Eve', removedAt: expect.any(Number) });
    expect((await eve.client.waitClosed()).code).toBe(4003);
    await expect(services.removeUser('nobody')).rejects.toThrow(/^NOT_FOUND: No user "nobody"/);

    const audit = await services.auditLog(10);
    expect(audit.map((e) => `${e.actor} ${e.action} ${e.result}`)).toEqual([
      'desktop removeUser NOT_FOUND',
      'desktop removeUser ok',
      'desktop removeDevice ok',
      'desktop deleteMessage ok',
    ]);
    // The renderer hears of every change to the people list, removals included (told once per tick).
    const told = () => events.filter(([name]) => name === 'people').at(-1)?.[1];
    for (let i = 0; i < 100 && JSON.stringify(told()) !== JSON.stringify(services.people()); i++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(told()).toEqual(services.people());
  });

  it('refuses the controls while this computer hosts no hub', async () => {
    const { services } = await open();
    expect(services.people()).toEqual([]);
    await expect(services.removeUser('u1')).rejects.toThrow(/^NOT_HOSTING/);
    await expect(services.auditLog(5)).rejects.toThrow(/^NOT_HOSTING/);
  });
});
