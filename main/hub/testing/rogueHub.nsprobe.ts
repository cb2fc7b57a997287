/**
 * Child script for transport.netns.test.ts: a rogue hub and the native sync clients it is tried on, each run with
 * `ip netns exec` inside the namespaces that test builds (the real hub is transport.nsprobe.ts's `hub`). Reports
 * JSON lines on stdout.
 *
 *   rogue HOST PORT REAL_HOST CLAIM
 *                            a rogue hub (rogueHub.ts) on HOST:PORT with its own identity, relaying every frame to
 *                            the real hub at REAL_HOST:PORT; its `welcome` claims CLAIM (`own` or `real`) identity.
 *                            Prints {"event":"listening",identity}, then {"event":"deviceClosed",frames} as each
 *                            device connection closes: everything the device sent on it, in order.
 *   victim HOST PORT [CODE]  an unpinned native sync client (trust on first use, as after discovery) connects to
 *                            HOST:PORT; once greeted, it pairs by typing CODE. Prints {"event":"victim",session,
 *                            trusted,pairing}: its session, the hub identity it took, and how pairing ended (`paired`
 *                            or the error code); then stops, and its connection closes.
 *   genuine HOST PORT PIN CODE
 *                            a native sync client pinned to PIN pairs by CODE as "Ann" and waits until ready. Prints
 *                            {"event":"genuine"}.
 */
import { WS_PATH } from '../../../shared/protocol';
import { pinnedWsTransport } from '../identity/pinnedWsTransport';
import { startRogueHub } from './rogueHub';
import { isReady, makeSyncDevice, waitFor, type SyncDevice } from './syncDevices';

const emit = (event: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ event, ...fields }));
const [mode, ...args] = process.argv.slice(2);

async function rogue(host: string, port: number, realHost: string, claim: string): Promise<void> {
  if (claim !== 'own' && claim !== 'real') throw new Error(`CLAIM is own or real, got ${JSON.stringify(claim)}`);
  const started = await startRogueHub(port, claim, {
    listenHost: host,
    listenPort: port,
    targetHost: realHost,
    onDeviceClosed: (frames) => emit('deviceClosed', { frames }),
  });
  emit('listening', { identity: started.identity });
  process.once('SIGTERM', () => void started.stop().then(() => process.exit(0)));
}

/** A native client as the desktop app makes one: WSS through the proof check, pinned to `pin` if given. */
function nativeDevice(host: string, port: number, name: string, pin?: string): SyncDevice {
  const transport = pinnedWsTransport(`wss://${host}:${port}${WS_PATH}`, pin === undefined ? {} : { pin });
  return makeSyncDevice({ port }, name, { transport });
}

async function victim(host: string, port: number, code: string | undefined): Promise<void> {
  const device = nativeDevice(host, port, 'Victim laptop');
  await device.client.start();
  await waitFor(
    device,
    (s) => s.session.phase === 'identityRefused' || (s.status === 'connected' && s.session.phase === 'unpaired'),
    'the victim to be greeted, or to refuse the hub',
  );
  let pairing: string | undefined;
  if (code !== undefined && device.state().session.phase === 'unpaired') {
    pairing = await device.client.pair({ kind: 'code', code, displayName: 'Victim' }).then(
      () => 'paired',
      (err: Error & { code?: string }) => err.code ?? err.message,
    );
  }
  const { session, hub } = device.state();
  // The connection closes from here on (the client's close handshake): the rogue reports what it was sent.
  await device.client.stop();
  emit('victim', { session, trusted: hub?.identity, pairing });
}

async function genuine(host: string, port: number, pin: string, code: string): Promise<void> {
  const device = nativeDevice(host, port, "Ann's laptop", pin);
  await device.client.start();
  await waitFor(device, (s) => s.status === 'connected' && s.session.phase === 'unpaired', 'Ann greeted');
  await device.client.pair({ kind: 'code', code, displayName: 'Ann' });
  await waitFor(device, isReady, 'Ann ready');
  await device.client.stop();
  emit('genuine');
}

const run: Record<string, () => Promise<void>> = {
  rogue: () => rogue(args[0]!, Number(args[1]), args[2]!, args[3]!),
  victim: () => victim(args[0]!, Number(args[1]), args[2]),
  genuine: () => genuine(args[0]!, Number(args[1]), args[2]!, args[3]!),
};
await run[mode!]!().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
