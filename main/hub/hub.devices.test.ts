import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol';
import type { Hub } from './Hub';
import { authRequest } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { pairLinkedDevice, pairNewUser, startTestHub, type Device } from './testing/testHub';

let hub: Hub;
let dataDir: string;
let cleanup: () => Promise<void>;
let a1: Device;
let a2: Device;
let b: Device;

beforeEach(async () => {
  ({ hub, cleanup, dataDir } = await startTestHub());
  a1 = await pairNewUser(hub, 'Alice');
  a2 = await pairLinkedDevice(hub, a1.client, 'Alice phone');
  b = await pairNewUser(hub, 'Bob');
});

afterEach(async () => {
  for (const d of [a1, a2, b]) await d.client.close();
  await cleanup();
});

describe('device management', () => {
  it('lists my devices with online state and renames one', async () => {
    const list = await a1.client.expect({ type: 'listDevices' }, 'devices');
    expect(list.devices).toHaveLength(2);
    expect(list.devices.every((d) => d.online && d.userId === a1.credentials.userId)).toBe(true);
    await a1.client.expect({ type: 'renameDevice', deviceId: a2.credentials.deviceId, name: '  Pixel  ' }, 'ok');
    const pushed = await a2.client.nextOf('devices', (f) => f.devices.some((d) => d.name === 'Pixel'));
    expect(pushed.devices.find((d) => d.id === a2.credentials.deviceId)?.name).toBe('Pixel');
  });

  it("does not let one user see or touch another user's devices", async () => {
    const refused = await b.client.request({ type: 'removeDevice', deviceId: a1.credentials.deviceId });
    expect(refused).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    const list = await b.client.expect({ type: 'listDevices' }, 'devices');
    expect(list.devices.map((d) => d.id)).toEqual([b.credentials.deviceId]);
  });

  it('revokes a removed device at once: its connection closes and its key is refused', async () => {
    await a2.client.expect({ type: 'removeDevice', deviceId: a1.credentials.deviceId }, 'ok');
    expect((await a1.client.waitClosed()).code).toBe(CloseCode.DEVICE_REVOKED);
    const remaining = await a2.client.nextOf('devices', (f) => f.devices.length === 1);
    expect(remaining.devices[0]?.id).toBe(a2.credentials.deviceId);

    const retry = await TestClient.connect(hub.port);
    await retry.hello();
    const refused = await authRequest(retry, a1.credentials);
    expect(refused).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    await retry.close();

    // It stays revoked after a restart: the removal was written before it was answered.
    await hub.stop();
    const restarted = await startTestHub({ dataDir });
    const afterRestart = await TestClient.connect(restarted.hub.port);
    await afterRestart.hello();
    expect(await authRequest(afterRestart, a1.credentials)).toMatchObject({ code: 'AUTH_FAILED' });
    const stillPaired = await authRequest(afterRestart, a2.credentials);
    expect(stillPaired.type).toBe('ready');
    await afterRestart.close();
    await restarted.hub.stop();
  });

  it('lets the host remove any device', async () => {
    expect(await hub.removeDevice(b.credentials.deviceId)).toBe(true);
    expect((await b.client.waitClosed()).code).toBe(CloseCode.DEVICE_REVOKED);
    await a1.client.nextOf('presence', (f) => f.userId === b.credentials.userId && !f.online);
  });
});
