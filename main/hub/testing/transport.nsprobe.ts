/**
 * Child script for transport.netns.test.ts, run with `ip netns exec` inside the private network namespaces
 * that test builds. Reports JSON lines on stdout; reads commands on stdin.
 *
 *   hub PORT                 a real hub on 0.0.0.0:PORT with default TLS settings and pairing open, whose registry
 *                            already holds one device paired under protocol 1 (a token, no key yet). Prints
 *                            {"event":"listening",identity,code,joinToken,legacy:{deviceId,token},dataDir}; stdin
 *                            `remove DEVICE` removes a device and prints {"event":"removed"}; stdin `state`
 *                            prints {"event":"state",users,wrongGuesses,failures,code}: every user's display name,
 *                            the wrong code guesses counted in this window, the recent failed attempts ({address,
 *                            outcome,count}) and the pairing code now; the same as {"event":"pairing",…} at every
 *                            change of the pairing state (a failed attempt is listed when its exchange ends). Stops
 *                            cleanly on SIGTERM.
 *   relay PORT HOST          someone in the middle: TLS with its own key on 0.0.0.0:PORT, every byte relayed to
 *                            HOST:PORT over its own TLS session. Prints {"event":"listening"}.
 *   session HOST PORT PIN CODE JOIN_TOKEN LEGACY_DEVICE LEGACY_TOKEN MARKER CONTROL
 *                            a device's whole session over WSS, pinned: a plain-HTTP request for /CONTROL (it
 *                            must show in the capture, or the capture saw nothing), pairing by CODE, a second
 *                            device by link code, a third by JOIN_TOKEN, the protocol-1 device binding a key with
 *                            LEGACY_TOKEN, a message with MARKER, catch-up after a disconnect, and the `auth` of
 *                            that catch-up sent again on a new connection. Prints
 *                            {"event":"session",secrets,replay,removable}: `secrets` as {what, hex} (the bytes
 *                            the capture must not hold), `replay` what the replayed `auth` was answered; stdin
 *                            `recheck` then signs in as the removed device again and prints
 *                            {"event":"recheck",answer,closeCode}.
 *   mitm HOST PORT PIN       a pinned native client and a pinned sync client try HOST:PORT; prints
 *                            {"event":"mitm",client,syncClient}: what each was told.
 */
import { request } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { p256 } from '@noble/curves/nist.js';
import type { PairingState } from '../../../shared/hub/pairingState';
import { WS_PATH } from '../../../shared/protocol';
import { memoryDeviceKey } from '../../../shared/sync/MemoryDeviceKeys';
import type { DeviceKey } from '../../../shared/sync/deviceKeys';
import { authFrame as signedAuth } from '../../../shared/sync/deviceProofs';
import { toBase64url } from '../../../shared/util/base64url';
import { Hub } from '../Hub';
import { pinnedWsTransport } from '../identity/pinnedWsTransport';
import { protocol1Registry } from './protocol1Registry';
import { authFrame, authRequest, expectPaired } from './devicePairing';
import { makeSyncDevice } from './syncDevices';
import { startTlsRelay } from './tlsRelay';
import { TestClient } from './TestClient';

const emit = (event: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ event, ...fields }));
const commands = readline.createInterface({ input: process.stdin });
const quiet = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
const [mode, ...args] = process.argv.slice(2);

async function hub(port: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'roost-nsprobe-'));
  const legacy = await protocol1Registry(dataDir);
  const h = await Hub.start({ port, host: '0.0.0.0', dataDir, logger: quiet });
  h.openPairing();
  const joinToken = h.createJoinToken().token;
  emit('listening', { identity: h.identity, code: h.pairingCode().code, joinToken, legacy, dataDir });
  const report = (event: string, pairing: PairingState) => {
    const users = h.operator.users().map((u) => u.displayName);
    const failures = pairing.recentFailures.map((f) => ({ address: f.address, outcome: f.outcome, count: f.count }));
    const code = pairing.open ? pairing.code : undefined;
    emit(event, { users, wrongGuesses: pairing.wrongGuesses, failures, code });
  };
  h.onPairingChange((pairing) => report('pairing', pairing));
  commands.on('line', (line) => {
    const [command, id] = line.split(' ');
    if (command === 'remove') void h.removeDevice(id!).then((removed) => emit('removed', { removed }));
    if (command === 'state') report('state', h.pairingState());
  });
  process.once('SIGTERM', () => void h.stop().then(() => process.exit(0)));
}

async function relay(port: number, host: string): Promise<void> {
  const started = await startTlsRelay(port, { listenHost: '0.0.0.0', listenPort: port, targetHost: host });
  emit('listening', { port: started.port });
  process.once('SIGTERM', () => void started.stop().then(() => process.exit(0)));
}

function plainGet(host: string, port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: urlPath, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function connect(host: string, port: number, pin: string): Promise<TestClient> {
  const client = await TestClient.connect(port, { host, tls: { pin } });
  await client.hello();
  return client;
}

/** What the capture must not hold, as bytes (hex): texts in UTF-8, a private key raw and as base64url. */
type Secret = { what: string; hex: string };
const text = (what: string, value: string): Secret => ({ what, hex: Buffer.from(value, 'utf8').toString('hex') });

/** A device key whose private half the probe can name, to look for it in the capture. */
function namedKey(name: string): { key: DeviceKey; secrets: Secret[] } {
  const secretKey = p256.utils.randomSecretKey();
  return {
    key: memoryDeviceKey(secretKey),
    secrets: [
      { what: `${name} private key`, hex: Buffer.from(secretKey).toString('hex') },
      text(`${name} private key (base64url)`, toBase64url(secretKey)),
    ],
  };
}

type SessionArgs = {
  host: string;
  port: number;
  pin: string;
  code: string;
  joinToken: string;
  legacy: { deviceId: string; token: string };
  marker: string;
  control: string;
};

async function session(o: SessionArgs) {
  const { host, port, pin } = o;
  const controlStatus = await plainGet(host, port, `/${o.control}`);
  const keys = { ann: namedKey('ann'), phone: namedKey('phone'), bob: namedKey('bob'), old: namedKey('old') };
  const ann = await connect(host, port, pin);
  await expectPaired(ann, {
    credential: { kind: 'code', code: o.code, displayName: 'Ann' },
    device: { name: 'laptop', platform: 'linux' },
    key: keys.ann.key,
  });
  const link = await ann.expect({ type: 'createLinkCode' }, 'linkCode');
  const phone = await connect(host, port, pin);
  const second = await expectPaired(phone, {
    credential: { kind: 'linkCode', code: link.code },
    device: { name: 'phone', platform: 'web' },
    key: keys.phone.key,
  });
  const bob = await connect(host, port, pin);
  await expectPaired(bob, {
    credential: { kind: 'joinToken', token: o.joinToken, displayName: 'Bob' },
    device: { name: 'bob laptop', platform: 'linux' },
    key: keys.bob.key,
  });
  await bob.close();
  // The protocol-1 device sends its token once, to bind a key; afterwards the key alone signs it in.
  const old = await connect(host, port, pin);
  const migrating = await signedAuth(old.welcomed, keys.old.key, o.legacy);
  await old.expect(migrating, 'ready');
  await old.close();
  const oldAgain = await connect(host, port, pin);
  await oldAgain.expect(await authFrame(oldAgain, { deviceId: o.legacy.deviceId, key: keys.old.key }), 'ready');
  await oldAgain.close();

  await ann.expect({ type: 'send', conversationId: 'general', clientMsgId: 'ns-msg-0001', text: o.marker }, 'ack');
  await phone.nextOf('message', (f) => f.message.text === o.marker);
  await phone.close();
  const later = `${o.marker}-later`;
  const ack = await ann.expect(
    { type: 'send', conversationId: 'general', clientMsgId: 'ns-msg-0002', text: later },
    'ack',
  );
  const back = await connect(host, port, pin);
  // Kept as sent, to replay below: what someone who could read this connection would hold.
  const sentAuth = await authFrame(back, second.credentials);
  await back.expect(sentAuth, 'ready');
  const page = await back.expect(
    { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: ack.seq - 1 },
    'messages',
  );
  if (!page.messages.some((m) => m.text === later)) throw new Error('catch-up did not bring the later message');
  const replayed = await connect(host, port, pin);
  const replay = await replayed.request(sentAuth);
  await replayed.close();

  const secrets: Secret[] = [
    text('pairing code', o.code),
    text('join token', o.joinToken),
    text('protocol-1 token', o.legacy.token),
    text('link code', link.code),
    text('message', o.marker),
    text('later message', later),
    ...Object.values(keys).flatMap((k) => k.secrets),
  ];
  emit('session', {
    control: controlStatus,
    secrets,
    replay: replay.type === 'error' ? replay.code : replay.type,
    removable: second.credentials.deviceId,
  });
  commands.once('line', () => {
    void (async () => {
      const closed = await back.waitClosed();
      const again = await connect(host, port, pin);
      const answer = await authRequest(again, second.credentials);
      emit('recheck', { answer: answer.type === 'error' ? answer.code : answer.type, closeCode: closed.code });
      process.exit(0);
    })();
  });
}

async function mitm(host: string, port: number, pin: string): Promise<void> {
  const client = await TestClient.connect(port, { host, tls: { pin } }).then(
    () => 'connected',
    (err: Error & { code?: string }) => err.code ?? err.message,
  );
  const transport = pinnedWsTransport(`wss://${host}:${port}${WS_PATH}`, { pin });
  const sync = makeSyncDevice({ port }, 'victim', { transport }).client;
  const syncClient = await new Promise<string>((resolve) => {
    const check = () => {
      const s = sync.getState().session;
      if (s.phase === 'identityRefused') resolve(s.reason);
      if (sync.getState().status === 'connected') resolve('connected');
    };
    sync.subscribe(check);
    void sync.start();
  });
  await sync.stop();
  emit('mitm', { client, syncClient });
  process.exit(0);
}

const run: Record<string, () => Promise<void>> = {
  hub: () => hub(Number(args[0])),
  relay: () => relay(Number(args[0]), args[1]!),
  session: () =>
    session({
      host: args[0]!,
      port: Number(args[1]),
      pin: args[2]!,
      code: args[3]!,
      joinToken: args[4]!,
      legacy: { deviceId: args[5]!, token: args[6]! },
      marker: args[7]!,
      control: args[8]!,
    }),
  mitm: () => mitm(args[0]!, Number(args[1]), args[2]!),
};
await run[mode!]!().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
