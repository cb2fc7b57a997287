/**
 * Joining a hub pins its identity, and the pin check's refusals reach the renderer as HUB_IDENTITY_CHANGED
 * until the person forgets the hub: DesktopServices with a real hub on loopback (the pinned hub's address is
 * 127.0.0.1 here; certificates are the ones the hub and a stranger present).
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENTS, BRIDGE_METHODS } from '../../shared/desktop';
import { issueCertificate } from '../hub/identity/certificate';
import { identityKeyFrom } from '../hub/identity/identityKey';
import { cleanupsAfterEach } from '../hub/testing/cleanups';
import { presentedCertificate } from '../hub/testing/peerCertificate';
import { makeTempDir, quietLogger, startTestHub } from '../hub/testing/testHub';
import { CERT_ACCEPT, CERT_REFUSE, type CertificateRequest } from './certificatePin';
import { DesktopServices, type BridgeEventTuple } from './DesktopServices';
import { SETTINGS_FILE_NAME } from './SettingsStore';

const cleanups = cleanupsAfterEach();

async function open(dir?: string) {
  if (!dir) {
    const temp = await makeTempDir('roost-desktop-pin-');
    cleanups.push(temp.remove);
    dir = temp.dir;
  }
  const services = await DesktopServices.open({
    userDataDir: dir,
    device: { name: 'Ann laptop', platform: 'linux' },
    logger: quietLogger,
    hosting: { advertise: false, host: '127.0.0.1' },
  });
  cleanups.push(() => services.close());
  const events: BridgeEventTuple[] = [];
  services.onEvent((...event) => {
    BRIDGE_EVENTS[event[0]].parse(event[1]);
    events.push(event);
  });
  return { services, events, dir };
}

async function hub() {
  const started = await startTestHub({ name: 'Attic' });
  cleanups.push(() => started.cleanup());
  return started.hub;
}

const selfSigned = (pem: string): CertificateRequest => ({
  hostname: '127.0.0.1',
  certificate: { data: pem },
  verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
  errorCode: -202,
});

describe('DesktopServices: joining pins the hub', () => {
  it('shows a typed address’s proven identity, and without one given pins what the hub proves', async () => {
    const h = await hub();
    const { services } = await open();
    const inspected = await services.inspectHub(`http://127.0.0.1:${h.port}/`);
    expect(BRIDGE_METHODS.inspectHub.result.parse(inspected)).toEqual({
      wsUrl: `ws://127.0.0.1:${h.port}/ws`,
      identity: h.identity,
      hubId: h.info().id,
      name: 'Attic',
      protocolVersion: h.info().protocolVersion,
    });
    expect(await services.chooseJoin(`wss://127.0.0.1:${h.port}/ws`)).toEqual({ identity: h.identity });
    expect(services.getSetup()).toEqual({ mode: 'join', hubUrl: `wss://127.0.0.1:${h.port}/ws`, identity: h.identity });
  });

  it('says why a typed address cannot be inspected', async () => {
    const { services } = await open();
    await expect(services.inspectHub('http://127.0.0.1:1/')).rejects.toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect(BRIDGE_METHODS.chooseJoin.args.safeParse(['wss://10.0.0.5:7420/ws', 'not an identity']).success).toBe(false);
  });

  it('accepts the pinned hub; refuses another key at its address until the person forgets the hub', async () => {
    const h = await hub();
    const { services, events } = await open();
    await services.chooseJoin(`wss://127.0.0.1:${h.port}/ws`, h.identity);
    expect(await services.verifyCertificate(selfSigned(await presentedCertificate(h.port)))).toBe(CERT_ACCEPT);
    expect(services.hubTrust()).toEqual({ state: 'ok' });

    const stranger = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const names = { dnsNames: [], ipAddresses: ['127.0.0.1'] };
    const strangerCert = await issueCertificate(stranger, names, Date.now());
    expect(await services.verifyCertificate(selfSigned(strangerCert))).toBe(CERT_REFUSE);
    const refused = {
      state: 'refused',
      code: 'HUB_IDENTITY_CHANGED',
      hubUrl: `wss://127.0.0.1:${h.port}/ws`,
      pinned: h.identity,
      presented: stranger.identity,
      message: expect.stringContaining('different identity than the one this app paired with'),
    };
    expect(services.hubTrust()).toEqual(refused);
    expect(events.filter(([name]) => name === 'hubTrust')).toEqual([['hubTrust', refused]]);
    // Still refused, still pinned: never re-pinned by itself.
    expect(await services.verifyCertificate(selfSigned(strangerCert))).toBe(CERT_REFUSE);
    expect(services.getSetup()).toMatchObject({ identity: h.identity });

    await services.resetSetup();
    expect(services.hubTrust()).toEqual({ state: 'ok' });
    expect(events.at(-1)).toEqual(['hubTrust', { state: 'ok' }]);
  });
});

describe('DesktopServices: settings from before identities', () => {
  it('moves a joined hub to wss:// and asks which hub to join again, nothing pinned unseen', async () => {
    const temp = await makeTempDir('roost-desktop-pin-');
    cleanups.push(temp.remove);
    const v1 = { schemaVersion: 1, setup: { mode: 'join', hubUrl: 'ws://192.168.1.20:7420/ws' }, muted: true };
    await writeFile(path.join(temp.dir, SETTINGS_FILE_NAME), JSON.stringify(v1));
    const { services } = await open(temp.dir);
    expect(services.getSetup()).toEqual({ mode: 'join', hubUrl: 'wss://192.168.1.20:7420/ws' });
    expect(services.getMuted()).toBe(true);
    expect(services.hubUrl()).toBeUndefined();
  });

  it('keeps a hub on this computer as it was joined', async () => {
    const temp = await makeTempDir('roost-desktop-pin-');
    cleanups.push(temp.remove);
    const v1 = { schemaVersion: 1, setup: { mode: 'join', hubUrl: 'ws://127.0.0.1:7420/ws' }, muted: false };
    await writeFile(path.join(temp.dir, SETTINGS_FILE_NAME), JSON.stringify(v1));
    const { services } = await open(temp.dir);
    expect(services.getSetup()).toEqual({ mode: 'join', hubUrl: 'ws://127.0.0.1:7420/ws' });
  });

  it('refuses settings that join a hub on another computer in clear', async () => {
    const temp = await makeTempDir('roost-desktop-pin-');
    cleanups.push(temp.remove);
    const bad = { schemaVersion: 2, setup: { mode: 'join', hubUrl: 'ws://10.0.0.5:7420/ws' }, muted: false };
    await writeFile(path.join(temp.dir, SETTINGS_FILE_NAME), JSON.stringify(bad));
    const { services } = await open(temp.dir);
    expect(services.getSetup()).toEqual({ mode: 'unset' });
  });
});
