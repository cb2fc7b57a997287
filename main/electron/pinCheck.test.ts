import { generateKeyPairSync } from 'node:crypto';
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { DesktopServices } from '../desktop/DesktopServices';
import { issueCertificate } from '../hub/identity/certificate';
import { identityKeyFrom } from '../hub/identity/identityKey';
import { cleanupsAfterEach } from '../hub/testing/cleanups';
import { makeTempDir, quietLogger } from '../hub/testing/testHub';
import { installHubPinCheck } from './pinCheck';

const cleanups = cleanupsAfterEach();

type Proc = Parameters<Session['setCertificateVerifyProc']>[0];

/** Real DesktopServices, and a stand-in for Electron's session that counts what the pin check does to it. */
async function setUp() {
  const temp = await makeTempDir('roost-pincheck-');
  cleanups.push(temp.remove);
  const services = await DesktopServices.open({
    userDataDir: temp.dir,
    device: { name: 'Ann laptop', platform: 'linux' },
    logger: quietLogger,
    hosting: { advertise: false, host: '127.0.0.1' },
  });
  cleanups.push(() => services.close());
  const session = { proc: null as Proc, installs: 0, closes: 0 };
  const ses = {
    setCertificateVerifyProc: (p: Proc) => {
      session.proc = p;
      session.installs++;
    },
    closeAllConnections: async () => {
      session.closes++;
    },
  } as unknown as Session;
  installHubPinCheck(ses, services);
  return { services, session };
}

describe('installHubPinCheck', () => {
  it('answers Electron from the pin check, and installs it anew once a refused hub is forgotten', async () => {
    const { services, session } = await setUp();
    expect(session.installs).toBe(1);

    const pinnedKey = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const stranger = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    await services.chooseJoin('wss://10.0.0.5:7420/ws', pinnedKey.identity);
    // A new pin drops what Chromium accepted under the old one (here: nothing pinned before).
    expect([session.installs, session.closes]).toEqual([2, 1]);
    const cert = await issueCertificate(stranger, { dnsNames: [], ipAddresses: ['10.0.0.5'] }, Date.now());
    const request = { hostname: '10.0.0.5', certificate: { data: cert }, verificationResult: 'x', errorCode: -202 };
    const verdict = await new Promise<number>((resolve) =>
      session.proc!(request as unknown as Electron.Request, resolve),
    );
    expect(verdict).toBe(-2);
    expect(services.hubTrust()).toMatchObject({ state: 'refused', code: 'HUB_IDENTITY_CHANGED' });
    expect([session.installs, session.closes]).toEqual([2, 1]);

    await services.resetSetup();
    expect([session.installs, session.closes]).toEqual([3, 2]);
  });

  it('drops what Chromium accepted under the old pin when the address is re-joined with another identity', async () => {
    const { services, session } = await setUp();
    const first = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const second = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    await services.chooseJoin('wss://10.0.0.5:7420/ws', first.identity);
    const before = [session.installs, session.closes];
    // Trust stays `ok` throughout: only the pin changes, which must still flush Chromium's verdicts.
    await services.chooseJoin('wss://10.0.0.5:7420/ws', second.identity);
    expect(services.hubTrust()).toEqual({ state: 'ok' });
    expect([session.installs - before[0]!, session.closes - before[1]!]).toEqual([1, 1]);
  });
});
