import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, formatIdentity, INFO_PATH, WS_PATH } from '../../shared/protocol';
import { Hub, type HubOptions } from './Hub';
import { issueCertificate } from './identity/certificate';
import { CERTIFICATE_FILE } from './identity/HubTls';
import { IDENTITY_KEY_FILE, identityKeyFrom, identityOf } from './identity/identityKey';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { authRequest, expectPaired } from './testing/devicePairing';
import { httpGet, httpsGet } from './testing/httpGet';
import { TestClient, type Credentials } from './testing/TestClient';
import { makeTempDir, quietLogger, startTestHub } from './testing/testHub';

const cleanups = cleanupsAfterEach();

async function hub(options: Partial<HubOptions> = {}) {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started;
}

async function dataDir(): Promise<string> {
  const temp = await makeTempDir();
  cleanups.push(temp.remove);
  return temp.dir;
}

async function startOn(dir: string, options: Partial<HubOptions> = {}): Promise<Hub> {
  const h = await Hub.start({ port: 0, host: '127.0.0.1', logger: quietLogger, dataDir: dir, ...options });
  h.openPairing();
  return h;
}

/** Connects over WSS as a native client does (proof checked, `pin` enforced) and says hello. */
async function tlsClient(h: Hub, pin?: string): Promise<TestClient> {
  const client = await TestClient.connect(h.port, { tls: { pin } });
  await client.hello();
  return client;
}

async function pairByCode(h: Hub, name: string): Promise<TestClient> {
  const client = await tlsClient(h, h.identity);
  await expectPaired(client, {
    credential: { kind: 'code', code: h.pairingCode().code, displayName: name },
    device: { name: `${name}'s laptop`, platform: 'linux' },
  });
  return client;
}

async function authenticate(h: Hub, credentials: Credentials) {
  const client = await tlsClient(h, h.identity);
  const answer = await authRequest(client, credentials);
  return { client, answer };
}

function refusalOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'connected',
    (err: Error & { code?: string }) => err.code ?? err.message,
  );
}

/** What a WebSocket upgrade over plain HTTP is answered, from a socket of our own. */
function plainUpgrade(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => reject(new Error('a plain upgrade from the LAN was accepted')));
    ws.on('error', () => {});
  });
}

describe('the hub over TLS', () => {
  it('serves HTTPS on its one port with a certificate for its identity key, and proves it in-session', async () => {
    const { hub: h } = await hub();
    const answer = await httpsGet(h.port, INFO_PATH);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ identity: h.identity });
    expect(answer.proof).toEqual({ ok: true, identity: h.identity });
    const served = new X509Certificate(answer.peerCertificate.raw);
    expect(identityOf(served.publicKey)).toBe(h.identity);
    expect(served.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('pairs by code, join link and link code, sends, catches up and removes a device, all over WSS', async () => {
    const { hub: h } = await hub();
    const ann = await pairByCode(h, 'Ann');
    const bob = await tlsClient(h, h.identity);
    const { paired: joined } = await expectPaired(bob, {
      credential: { kind: 'joinToken', token: h.createJoinToken().token, displayName: 'Bob' },
      device: { name: 'phone', platform: 'web' },
    });
    const link = await ann.expect({ type: 'createLinkCode' }, 'linkCode');
    const annPhone = await tlsClient(h, h.identity);
    const { paired: phone, credentials: phoneCredentials } = await expectPaired(annPhone, {
      credential: { kind: 'linkCode', code: link.code },
      device: { name: 'phone', platform: 'web' },
    });
    expect(phone.userId).toBe(ann.credentials!.userId);
    await annPhone.close();

    const ack = await ann.expect(
      { type: 'send', conversationId: GENERAL, clientMsgId: 'tls-msg-0001', text: 'hi' },
      'ack',
    );
    const pushed = await bob.nextOf('message', (f) => f.message.clientMsgId === 'tls-msg-0001');
    expect(pushed.message.text).toBe('hi');

    const back = await authenticate(h, phoneCredentials);
    expect(back.answer.type).toBe('ready');
    const page = await back.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: ack.seq - 1 },
      'messages',
    );
    expect(page.messages.map((m) => m.text)).toEqual(['hi']);

    expect(await h.removeDevice(phone.deviceId)).toBe(true);
    expect((await back.client.waitClosed()).code).toBe(CloseCode.DEVICE_REVOKED);
    const refused = await authenticate(h, phoneCredentials);
    expect(refused.answer).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect(joined.userId).not.toBe(ann.credentials!.userId);
  });

  it('refuses, before any frame, a hub proving another identity than its pin (HUB_IDENTITY_CHANGED)', async () => {
    const { hub: h } = await hub();
    const other = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey).identity;
    expect(await refusalOf(TestClient.connect(h.port, { tls: { pin: other } }))).toBe('HUB_IDENTITY_CHANGED');
    expect(await refusalOf(TestClient.connect(h.port, { tls: { pin: h.identity } }))).toBe('connected');
  });

  it('keeps its identity when it re-issues its certificate for new names: a pinned device still connects', async () => {
    const dir = await dataDir();
    let h = await startOn(dir, { allowedHosts: ['one.example'] });
    const pin = h.identity;
    const first = await readFile(path.join(dir, CERTIFICATE_FILE), 'utf8');
    await h.stop();
    h = await startOn(dir, { allowedHosts: ['two.example'] });
    cleanups.push(() => h.stop());
    const second = await readFile(path.join(dir, CERTIFICATE_FILE), 'utf8');
    expect(new X509Certificate(second).fingerprint256).not.toBe(new X509Certificate(first).fingerprint256);
    expect(new X509Certificate(second).checkHost('two.example')).toBe('two.example');
    expect(h.identity).toBe(pin);
    expect(await refusalOf(TestClient.connect(h.port, { tls: { pin } }))).toBe('connected');
  });

  it('refuses a device pinned to the old identity after the owner rotates it, until it verifies again', async () => {
    const dir = await dataDir();
    let h = await startOn(dir);
    const old = h.identity;
    await h.stop();
    h = await startOn(dir, { tls: { newIdentity: true } });
    const retired = (await readdir(dir)).filter((f) => f.startsWith(`${IDENTITY_KEY_FILE}.retired-`));
    expect(retired).toHaveLength(1);
    cleanups.push(() => h.stop());
    expect(h.identity).not.toBe(old);
    expect(await refusalOf(TestClient.connect(h.port, { tls: { pin: old } }))).toBe('HUB_IDENTITY_CHANGED');
    expect(await refusalOf(TestClient.connect(h.port, { tls: { pin: h.identity } }))).toBe('connected');
  });

  it('makes an identity key that others can read private at start, and says what that means', async () => {
    const dir = await dataDir();
    await (await startOn(dir)).stop();
    const file = path.join(dir, IDENTITY_KEY_FILE);
    await chmod(file, 0o644);
    const warnings: string[] = [];
    const logger = { ...quietLogger, warn: (m: string) => warnings.push(m) };
    const h = await startOn(dir, { logger });
    cleanups.push(() => h.stop());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(warnings.join('\n')).toMatch(/hub-identity-key\.pem was readable by other users.*--new-identity/);
  });

  it('will not start over an identity key file it cannot read, and leaves the file as it was', async () => {
    const dir = await dataDir();
    const file = path.join(dir, IDENTITY_KEY_FILE);
    await writeFile(file, 'not a key\n', { mode: 0o600 });
    await expect(startOn(dir)).rejects.toMatchObject({ code: 'IDENTITY_KEY_INVALID' });
    expect(await readFile(file, 'utf8')).toBe('not a key\n');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await writeFile(file, rsa.export({ type: 'pkcs8', format: 'pem' }));
    await expect(startOn(dir)).rejects.toThrow(/not P-256/);
  });

  it('answers plain HTTP from the LAN only with the page that sends people to HTTPS, with the identity', async () => {
    const { hub: h } = await hub({ tls: { loopbackIsLan: true } });
    const page = await httpGet(h.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(`href="https://127.0.0.1:${h.port}/"`);
    expect(page.body).toContain(formatIdentity(h.identity));
    expect(page.body).toContain(h.publicKeyFingerprint);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-/);
    const info = await httpGet(h.port, INFO_PATH);
    expect(info.status).toBe(426);
    expect(JSON.parse(info.body)).toMatchObject({ error: { code: 'TLS_REQUIRED' } });
    const upgrade = await plainUpgrade(h.port);
    expect(upgrade.status).toBe(426);
    expect(upgrade.body).toContain('TLS_REQUIRED');
    expect((await httpsGet(h.port, INFO_PATH)).status).toBe(200);
  });

  it('serves plain HTTP to the LAN when the owner allows it, and to loopback always', async () => {
    const { hub: allowed } = await hub({ tls: { loopbackIsLan: true, allowPlainHttp: true } });
    expect((await httpGet(allowed.port, INFO_PATH)).status).toBe(200);
    const { hub: local } = await hub();
    expect((await httpGet(local.port, INFO_PATH)).status).toBe(200);
  });

  it("serves the owner's certificate, accepts its names as Host, and still proves the hub's own identity", async () => {
    const dir = await dataDir();
    const ownerKey = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const certPem = await issueCertificate(ownerKey, { dnsNames: ['hub.home.example'], ipAddresses: [] }, Date.now());
    const certFile = path.join(dir, 'owner.crt');
    const keyFile = path.join(dir, 'owner.key');
    await writeFile(certFile, certPem);
    await writeFile(keyFile, ownerKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const h = await startOn(path.join(dir, 'data'), { tls: { certFile, keyFile } });
    cleanups.push(() => h.stop());
    const answer = await httpsGet(h.port, INFO_PATH, {
      ca: certPem,
      servername: 'hub.home.example',
      headers: { Host: `hub.home.example:${h.port}` },
      pin: h.identity,
    });
    expect(answer.status).toBe(200);
    expect(answer.proof).toEqual({ ok: true, identity: h.identity });
    expect(h.identity).not.toBe(ownerKey.identity);
  });

  it("refuses to start with an owner's certificate that is not for the key given", async () => {
    const dir = await dataDir();
    const key = () => identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const certFile = path.join(dir, 'owner.crt');
    const keyFile = path.join(dir, 'owner.key');
    await writeFile(certFile, await issueCertificate(key(), { dnsNames: ['hub.home.example'], ipAddresses: [] }, 0));
    await writeFile(keyFile, key().privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(startOn(path.join(dir, 'data'), { tls: { certFile, keyFile } })).rejects.toMatchObject({
      code: 'TLS_CERT_INVALID',
    });
  });

  it('charges TLS handshakes to their network before doing them: past its budget, closed unanswered', async () => {
    const { hub: h } = await hub({ budgets: { perAddress: { perSecond: 0.01, burst: 3 }, limitLoopback: true } });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await httpsGet(h.port, INFO_PATH).then(
          (a) => String(a.status),
          () => 'closed',
        ),
      );
    }
    // Each handshake takes one token and its request one more: the third handshake finds the budget spent.
    expect(outcomes).toEqual(['200', '429', 'closed', 'closed', 'closed']);
  });

  it('drops a TLS handshake that never finishes within the headers timeout', async () => {
    const { hub: h } = await hub({ http: { headersTimeoutMs: 300 } });
    const socket = connect(h.port, '127.0.0.1');
    socket.on('connect', () => socket.write(Buffer.from([0x16, 0x03, 0x01])));
    const closed = await new Promise<boolean>((resolve) => {
      socket.on('close', () => resolve(true));
      socket.on('error', () => {});
    });
    expect(closed).toBe(true);
  });
});
