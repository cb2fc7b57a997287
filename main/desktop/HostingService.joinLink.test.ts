import { describe, expect, it } from 'vitest';
import type { HostingStatus } from '../../shared/desktop';
import { cleanupsAfterEach } from '../hub/testing/cleanups';
import { expectPaired } from '../hub/testing/devicePairing';
import { TestClient } from '../hub/testing/TestClient';
import { makeTempDir, quietLogger } from '../hub/testing/testHub';
import { HostingService } from './HostingService';

const cleanups = cleanupsAfterEach();

function running(status: HostingStatus): Extract<HostingStatus, { state: 'running' }> {
  if (status.state !== 'running') throw new Error(`expected running, got ${JSON.stringify(status)}`);
  return status;
}

describe('the host’s join link', () => {
  it('is replaced as soon as a page claims it, before anyone pairs, and the claimed token pairs', async () => {
    const temp = await makeTempDir('roost-hosting-');
    const hosting = new HostingService({ dataDir: temp.dir, host: '127.0.0.1', advertise: false, logger: quietLogger });
    cleanups.push(async () => {
      await hosting.stop();
      await temp.remove();
    });
    const first = running(await hosting.start({ name: 'Kitchen', port: 0 }));
    const replaced = new Promise<HostingStatus>((resolve) => {
      const off = hosting.onStatus((s) => {
        if (s.state !== 'running' || s.joinUrl === first.joinUrl) return;
        off();
        resolve(s);
      });
    });

    // A phone scans the QR code: its page claims the link at once.
    const phone = await TestClient.connect(first.port);
    cleanups.push(() => phone.close());
    await phone.hello();
    const token = new URLSearchParams(new URL(first.joinUrl).hash.slice(1)).get('join') ?? '';
    const claimed = await phone.expect({ type: 'claimJoinLink', token }, 'joinLinkClaimed');

    // This hub shows a new link while the phone's person still types their name.
    expect(running(await replaced).joinUrl).not.toBe(first.joinUrl);
    await expectPaired(phone, {
      credential: { kind: 'joinToken', token: claimed.token, displayName: 'Bob' },
      device: { name: 'Bob phone', platform: 'android' },
    });
  });
});
