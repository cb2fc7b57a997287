/**
 * Child script for browse.test.ts, run with `ip netns exec` inside one of the two private
 * network namespaces that test builds: it sends real multicast, which must never reach the
 * machine's own interfaces. It reports events as JSON lines on stdout.
 *
 *   hub DATA_DIR HOST NAME   a real hub on HOST, port 0, advertised as main/cli/runHub.ts
 *                            does (not runHub itself: it first builds the web client, which
 *                            takes seconds and is beside the point here), plus a second
 *                            instance name for the same hub (dedup), a service with a
 *                            bad TXT record, and one announcing the hub's id and port with
 *                            another identity hint (ik), which the hub then disproves.
 *                            Prints {"event":"listening",hubId,identity,port};
 *                            on SIGTERM stops cleanly (goodbyes), prints {"event":"stopped"}.
 *   browse                   two browsers: "fast" (default timings) and "slow" (re-checks
 *                            every minute, so only a goodbye removes a hub from it soon).
 *                            Prints {"event":"ready"}, then {"event":"change",browser,hubs}
 *                            and {"event":"warning",browser,code,message}; stops on SIGTERM.
 */
import { Bonjour } from 'bonjour-service';
import { MDNS_SERVICE_TYPE } from '../../shared/protocol';
import { Hub } from '../hub/Hub';
import { advertiseHub } from './advertise';
import { browseHubs } from './browse';

const emit = (event: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, at: Date.now(), ...fields }));
const onSignal = (stop: () => Promise<void>) => {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
};

async function hub(dataDir: string, host: string, name: string) {
  const logger = {
    info: () => {},
    warn: (m: string) => console.error(m),
    error: (m: string, e?: unknown) => console.error(m, e),
  };
  const running = await Hub.start({ dataDir, port: 0, host, name, logger });
  const info = running.info();
  const onError = (err: Error) => console.error(`advertise: ${err.message}`);
  const common = {
    port: running.port,
    hubId: info.id,
    identity: running.identity,
    protocolVersion: info.protocolVersion,
    onError,
  };
  const adverts = [
    advertiseHub({ ...common, name: info.name }),
    advertiseHub({ ...common, name: `${info.name} alias` }),
    // Someone claiming the hub at its address under another identity: the proof that answers disagrees.
    advertiseHub({ ...common, name: `${info.name} impostor`, identity: 'B'.repeat(52) }),
  ];
  const bogus = new Bonjour({}, onError);
  const bogusService = bogus.publish({
    name: 'Bogus',
    type: MDNS_SERVICE_TYPE,
    port: running.port,
    txt: { v: '1', id: 'not an id', name: 'Bogus', proto: '1' },
  });
  emit('listening', { hubId: info.id, identity: running.identity, port: running.port });
  onSignal(async () => {
    await new Promise<void>((resolve) => bogusService.stop?.(() => resolve()));
    await new Promise<void>((resolve) => bogus.destroy(() => resolve()));
    await Promise.all(adverts.map((a) => a.stop()));
    await running.stop();
    emit('stopped');
  });
}

async function browse() {
  const browsers = (['fast', 'slow'] as const).map((browser) =>
    browseHubs({
      checkIntervalMs: browser === 'slow' ? 60_000 : undefined,
      onChange: (hubs) => emit('change', { browser, hubs }),
      onWarning: (err) => emit('warning', { browser, code: (err as { code?: string }).code, message: err.message }),
    }),
  );
  emit('ready');
  onSignal(async () => {
    await Promise.all(browsers.map((b) => b.stop()));
  });
}

const [role, ...args] = process.argv.slice(2);
const run =
  role === 'hub' && args.length === 3 ? hub(args[0]!, args[1]!, args[2]!) : role === 'browse' ? browse() : undefined;
if (!run) {
  console.error('usage: browse.nsprobe.ts hub DATA_DIR HOST NAME | browse');
  process.exit(2);
}
run.catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
