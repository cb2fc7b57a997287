import { describe, expect, it } from 'vitest';
import { ErrorCode, WS_PATH } from '../../shared/protocol';
import { MemoryStorage } from '../../shared/sync/MemoryStorage';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { startRogueHub } from './testing/rogueHub';
import { isReady, makeSyncDevice, pairSyncUser, waitFor, type SyncDevice } from './testing/syncDevices';
import { startTestHub } from './testing/testHub';
import { wsTransport } from './testing/wsTransport';

/**
 * A rogue hub on the LAN (its own identity and certificate, a valid proof for its own key) relays every frame to
 * the real hub, hoping to pair itself in with a code typed into a device that reached it, or to make a paired device
 * sign for it. The device has no pin for the rogue to fail (it found the hub by name): what protects it is that it
 * binds the code exchange and every signature to the identity the hub proved in TLS (appendix D.3, PROTOCOL.md 6.6).
 */
const cleanups = cleanupsAfterEach();

async function realHub(): Promise<Hub> {
  const { hub, cleanup } = await startTestHub();
  cleanups.push(cleanup);
  return hub;
}

async function rogue(hub: Hub, claim: 'own' | 'real') {
  const started = await startRogueHub(hub.port, claim);
  cleanups.push(() => started.stop());
  return started;
}

/** A native client that reached `port` by name, with nothing pinned: it trusts the identity proven on first use. */
function deviceAt(hub: Hub, port: number, storage = new MemoryStorage()): SyncDevice {
  const device = makeSyncDevice(hub, 'Victim laptop', {
    storage,
    transport: wsTransport(`wss://127.0.0.1:${port}${WS_PATH}`),
  });
  cleanups.push(() => device.client.stop());
  return device;
}

describe('a rogue hub relaying to the real one', () => {
  it('learns nothing from a code typed into a device that reached it, and pairs nobody in', async () => {
    const hub = await realHub();
    const evil = await rogue(hub, 'own');
    const code = hub.pairingCode().code;
    const victim = deviceAt(hub, evil.port);
    await victim.client.start();
    await waitFor(victim, (s) => s.status === 'connected' && s.session.phase === 'unpaired', 'victim greeted');

    await expect(victim.client.pair({ kind: 'code', code, displayName: 'Victim' })).rejects.toMatchObject({
      code: ErrorCode.PAIRING_CODE_INVALID,
    });

    const sent = evil.fromDevice.map((text) => JSON.parse(text) as { type: string });
    expect(sent.map((f) => f.type)).toEqual(['hello', 'pakeStart']);
    expect(evil.fromDevice.join('\n')).not.toContain(code);
    // The real hub paired nobody and counted one guess; its code is still the one to use.
    expect(hub.operator.users().map((u) => u.displayName)).not.toContain('Victim');
    expect(hub.pairingState().wrongGuesses).toBe(1);
    expect(hub.pairingCode().code).toBe(code);
    const genuine = await pairSyncUser(hub, 'Ann');
    expect(isReady(genuine.state())).toBeTruthy();
    await genuine.client.stop();
  });

  it('is refused before anything but hello when it claims the real hub identity it cannot prove', async () => {
    const hub = await realHub();
    const evil = await rogue(hub, 'real');
    const victim = deviceAt(hub, evil.port);
    await victim.client.start();
    const session = await waitFor(
      victim,
      (s) => s.session.phase === 'identityRefused' && s.session,
      'victim refuses the relay',
    );
    expect(session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_UNPROVEN' });
    expect(evil.fromDevice.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual(['hello']);
  });

  it('gets no signature from a paired device, which keeps its credentials and says the identity changed', async () => {
    const hub = await realHub();
    const storage = new MemoryStorage();
    const paired = deviceAt(hub, hub.port, storage);
    await paired.client.start();
    await waitFor(paired, (s) => s.status === 'connected' && s.session.phase === 'unpaired', 'greeted');
    await paired.client.pair({ kind: 'code', code: hub.pairingCode().code, displayName: 'Ann' });
    await waitFor(paired, isReady, 'ready');
    await paired.client.stop();

    const evil = await rogue(hub, 'own');
    const lured = deviceAt(hub, evil.port, storage);
    await lured.client.start();
    const session = await waitFor(
      lured,
      (s) => s.session.phase === 'identityRefused' && s.session,
      'the paired device refuses the rogue',
    );
    expect(session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_CHANGED' });
    expect(evil.fromDevice.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual(['hello']);
    expect(await storage.loadCredentials()).toBeDefined();
  });
});
