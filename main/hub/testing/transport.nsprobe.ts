/**
 * Child script for transport.netns.test.ts, run with `ip netns exec` inside the private network namespaces
 * that test builds. Reports JSON lines on stdout; reads commands on stdin.
 *
 *   hub PORT                 a real hub on 0.0.0.0:PORT with default TLS settings and pairing open. Prints
 *                            {"event":"listening",identity,code}; stdin `remove DEVICE` removes a device and
 *                            prints {"event":"removed"}; stops cleanly on SIGTERM.
 *   relay PORT HOST          someone in the middle: TLS with its own key on 0.0.0.0:PORT, every byte relayed to
 *                            HOST:PORT over its own TLS session. Prints {"event":"listening"}.
 *   session HOST PORT PIN CODE MARKER CONTROL
 *                            a device's whole session over WSS, pinned: a plain-HTTP request for /CONTROL (it
 *                            must show in the capture, or the capture saw nothing), pairing by CODE, a second
 *                            device by link code, a message with MARKER, catch-up after a disconnect. Prints
 *                            {"event":"session",secrets,removable}; stdin `recheck` then tries the removed
 *                            device's token again and prints
 *                            {"event":"recheck",answer,closeCode}.
 *   mitm HOST PORT PIN       a pinned native client and a pinned sync client try HOST:PORT; prints
 *                            {"event":"mitm",client,syncClient}: what each was told.
 */
import { request } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, WS_PATH } from '../../../shared/protocol';
import { MemoryStorage } from '../../../shared/sync/MemoryStorage';
import { RoostClient } from '../../../shared/sync/RoostClient';
import { Hub } from '../Hub';
import { pinnedWsTransport } from '../identity/pinnedWsTransport';
import { startTlsRelay } from './tlsRelay';
import { TestClient } from './TestClient';

const emit = (event: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ event, ...fields }));
const commands = readline.createInterface({ input: process.stdin });
const quiet = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
const [mode, ...args] = process.argv.slice(2);

async function hub(port: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'roost-nsprobe-'));
  const h = await Hub.start({ port, host: '0.0.0.0', dataDir, logger: quiet });
  h.openPairing();
  emit('listening', { identity: h.identity, code: h.pairingCode().code });
  commands.on('line', (line) => {
    const [command, id] = line.split(' ');
    if (command === 'remove') void h.removeDevice(id!).then((removed) => emit('removed', { removed }));
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
  await client.expect({ type: 'hello', protocol: PROTOCOL_VERSION }, 'welcome');
  return client;
}

async function session(host: string, port: number, pin: string, code: string, marker: string, control: string) {
  const controlStatus = await plainGet(host, port, `/${control}`);
  const ann = await connect(host, port, pin);
  const paired = await ann.expect(
    {
      type: 'pair',
      credential: { kind: 'code', code, displayName: 'Ann' },
      device: { name: 'laptop', platform: 'linux' },
    },
    'paired',
  );
  await ann.nextOf('ready');
  const link = await ann.expect({ type: 'createLinkCode' }, 'linkCode');
  const phone = await connect(host, port, pin);
  const second = await phone.expect(
    { type: 'pair', credential: { kind: 'linkCode', code: link.code }, device: { name: 'phone', platform: 'web' } },
    'paired',
  );
  await phone.nextOf('ready');
  await ann.expect({ type: 'send', conversationId: 'general', clientMsgId: 'ns-msg-0001', text: marker }, 'ack');
  await phone.nextOf('message', (f) => f.message.text === marker);
  await phone.close();
  const later = `${marker}-later`;
  const ack = await ann.expect(
    { type: 'send', conversationId: 'general', clientMsgId: 'ns-msg-0002', text: later },
    'ack',
  );
  const back = await connect(host, port, pin);
  await back.expect({ type: 'auth', deviceId: second.deviceId, token: second.token }, 'ready');
  const page = await back.expect(
    { type: 'fetchMessages', conversationId: 'general', direction: 'forward', cursor: ack.seq - 1 },
    'messages',
  );
  if (!page.messages.some((m) => m.text === later)) throw new Error('catch-up did not bring the later message');
  const secrets = [code, paired.token, second.token, link.code, marker, later];
  emit('session', { control: controlStatus, secrets, removable: second.deviceId });
  commands.once('line', () => {
    void (async () => {
      const closed = await back.waitClosed();
      const again = await connect(host, port, pin);
      const answer = await again.request({ type: 'auth', deviceId: second.deviceId, token: second.token });
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
  const sync = new RoostClient({
    transport: pinnedWsTransport(`wss://${host}:${port}${WS_PATH}`, { pin }),
    storage: new MemoryStorage(),
    clock: {
      now: () => Date.now(),
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    randomId: () => randomBytes(12).toString('base64url'),
    device: { name: 'victim', platform: 'linux' },
  });
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
  session: () => session(args[0]!, Number(args[1]), args[2]!, args[3]!, args[4]!, args[5]!),
  mitm: () => mitm(args[0]!, Number(args[1]), args[2]!),
};
await run[mode!]!().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
