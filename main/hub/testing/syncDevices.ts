import { randomBytes } from 'node:crypto';
import { MemoryStorage } from '../../../shared/sync/MemoryStorage';
import { RoostClient } from '../../../shared/sync/RoostClient';
import type { RoostState } from '../../../shared/sync/clientState';
import type { RoostWarning } from '../../../shared/sync/errors';
import type { Clock, Transport } from '../../../shared/sync/transport';
import type { Hub } from '../Hub';
import { wsTransport } from './wsTransport';

/** Sync clients (shared/sync) on a real hub, for integration tests: made, paired, waited on, stopped. */

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type SyncDevice = {
  client: RoostClient;
  storage: MemoryStorage;
  warnings: RoostWarning[];
  state(): RoostState;
};

/**
 * A sync client for `hub` (a Hub, or just its port: a probe in another process), not started. `transport`:
 * default plain WebSocket to the hub on loopback; wsTransport(`wss://…`, { pin }) as a native app. `pageSize`: the
 * client's fetch page (default 200).
 */
export function makeSyncDevice(
  hub: Pick<Hub, 'port'>,
  name: string,
  {
    storage = new MemoryStorage(),
    transport = wsTransport(hub.port),
    pageSize,
  }: { storage?: MemoryStorage; transport?: Transport; pageSize?: number } = {},
): SyncDevice {
  const warnings: RoostWarning[] = [];
  const client = new RoostClient({
    transport,
    storage,
    deviceKeys: storage.deviceKeys,
    clock: realClock,
    randomId: () => randomBytes(12).toString('base64url'),
    device: { name, platform: 'linux' },
    clientName: 'roost-sync-test',
    backoff: { baseMs: 20, maxMs: 200 },
    // Short delays: tests wait for reconnects, marks and pages, never sleep.
    sync: { markDelayMs: 20, ...(pageSize === undefined ? {} : { pageSize }) },
    onWarning: (w) => warnings.push(w),
  });
  return { client, storage, warnings, state: () => client.getState() };
}

/** Resolves with the first truthy value of `select` over the client's states, now or after a change. */
export function waitFor<T>(
  device: SyncDevice,
  select: (s: RoostState) => T | undefined | false | null,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = (): void => {
      const value = select(device.state());
      if (!value) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      const s = device.state();
      reject(
        new Error(
          `timed out waiting for ${what}; status ${s.status}, session ${JSON.stringify(s.session)}, ` +
            `warnings ${JSON.stringify(device.warnings)}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = device.client.subscribe(check);
    const cleanup = () => {
      clearTimeout(timer);
      unsubscribe();
    };
    check();
  });
}

export const isReady = (s: RoostState): boolean =>
  s.status === 'connected' && s.session.phase === 'paired' && s.self !== undefined;

/** A new user on a new device, paired with the hub's code (pairing must be open). */
export async function pairSyncUser(hub: Hub, name: string): Promise<SyncDevice> {
  const device = makeSyncDevice(hub, `${name}'s laptop`);
  await device.client.start();
  await waitFor(device, (s) => s.status === 'connected' && s.session.phase === 'unpaired', `${name} greeted`);
  await device.client.pair({ kind: 'code', code: hub.pairingCode().code, displayName: name });
  await waitFor(device, isReady, `${name} ready`);
  return device;
}

/** Another device of `existing`'s user, paired with a link code. */
export async function pairSyncDevice(hub: Hub, existing: SyncDevice, name: string): Promise<SyncDevice> {
  const { code } = await existing.client.createLinkCode();
  const device = makeSyncDevice(hub, name);
  await device.client.start();
  await waitFor(device, (s) => s.status === 'connected' && s.session.phase === 'unpaired', `${name} greeted`);
  await device.client.pair({ kind: 'linkCode', code });
  await waitFor(device, isReady, `${name} ready`);
  return device;
}
