/**
 * Child script for advertise.test.ts. It must run inside a private network namespace
 * (`unshare -n`): it sends real multicast, which must never reach the machine's own
 * interfaces. It prints one line `ROOST_PROBE_RESULT {json}` and exits.
 *
 * Scenarios (argv[2]):
 *   discover    loopback with a multicast route: advertise two hubs with the same name,
 *               browse them, check TXT, the rename and the goodbyes.
 *   port-taken  port 5353 held exclusively by another socket: the error must be reported.
 *   no-route    loopback down, so no route for multicast: the error must be reported.
 */
import { createSocket } from 'node:dgram';
import { Bonjour, type Service } from 'bonjour-service';
import { MDNS_SERVICE_TYPE, PROTOCOL_VERSION } from '../../shared/protocol';
import { advertiseHub } from './advertise';
import { parseTxtRecord } from './txtRecord';

/** Announced as the TXT hint `ik`; advertise.test.ts expects it back. */
const PROBE_IDENTITY = 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA';

const RESULT_MARKER = 'ROOST_PROBE_RESULT ';

type Browser = ReturnType<Bonjour['find']>;
type ErrorSummary = { code: string | undefined; message: string };

const summarize = (err: Error & { code?: string }): ErrorSummary => ({ code: err.code, message: err.message });

function next(browser: Browser, event: 'up' | 'down', matches: (s: Service) => boolean): Promise<Service> {
  return new Promise((resolve) => {
    const listener = (service: Service) => {
      if (!matches(service)) return;
      browser.off(event, listener);
      resolve(service);
    };
    browser.on(event, listener);
  });
}

const hasId = (id: string) => (s: Service) => (s.txt as Record<string, unknown> | undefined)?.id === id;

async function discover() {
  const errors: ErrorSummary[] = [];
  const onError = (err: Error) => errors.push(summarize(err));
  const browserBonjour = new Bonjour({}, onError);
  const browser = browserBonjour.find({ type: MDNS_SERVICE_TYPE });
  const downs: string[] = [];
  browser.on('down', (s: Service) => downs.push(s.name));

  const common = { name: 'Roost Probe', protocolVersion: PROTOCOL_VERSION, identity: PROBE_IDENTITY, onError };
  const alphaUp = next(browser, 'up', hasId('hubAlpha'));
  const alpha = advertiseHub({ ...common, port: 40001, hubId: 'hubAlpha' });
  const alphaSeen = await alphaUp;

  // Started only once Alpha is on the air, so Beta's probe must find the name taken.
  const betaUp = next(browser, 'up', hasId('hubBeta'));
  const beta = advertiseHub({ ...common, port: 40002, hubId: 'hubBeta' });
  const betaSeen = await betaUp;
  const downsBeforeStop = [...downs];

  const alphaDown = next(browser, 'down', (s) => s.fqdn === alphaSeen.fqdn);
  await alpha.stop();
  await alphaDown;
  const betaDown = next(browser, 'down', (s) => s.fqdn === betaSeen.fqdn);
  await beta.stop();
  await betaDown;

  browser.stop();
  await new Promise((resolve) => browserBonjour.destroy(resolve));
  return {
    alpha: {
      name: alphaSeen.name,
      port: alphaSeen.port,
      txt: parseTxtRecord(alphaSeen.txt),
      instanceName: alpha.instanceName,
    },
    beta: {
      name: betaSeen.name,
      port: betaSeen.port,
      txt: parseTxtRecord(betaSeen.txt),
      instanceName: beta.instanceName,
    },
    downsBeforeStop,
    downs,
    errors,
  };
}

/** Advertises until the first reported error, then stops; resolving at all proves nothing crashed. */
async function firstError() {
  let advert: ReturnType<typeof advertiseHub> | undefined;
  const error = await new Promise<ErrorSummary>((resolve) => {
    advert = advertiseHub({
      port: 40001,
      hubId: 'hubAlpha',
      identity: PROBE_IDENTITY,
      name: 'Roost Probe',
      protocolVersion: PROTOCOL_VERSION,
      onError: (err) => resolve(summarize(err)),
    });
  });
  await advert?.stop();
  return { error, stopped: true };
}

async function portTaken() {
  // No SO_REUSEADDR: like a responder that keeps 5353 to itself.
  const hog = createSocket({ type: 'udp4', reuseAddr: false });
  await new Promise<void>((resolve) => hog.bind(5353, resolve));
  const result = await firstError();
  hog.close();
  return result;
}

const scenarios: Record<string, () => Promise<unknown>> = {
  discover,
  'port-taken': portTaken,
  'no-route': firstError,
};

const scenario = scenarios[process.argv[2] ?? ''];
if (!scenario) {
  console.error(`usage: advertise.nsprobe.ts ${Object.keys(scenarios).join('|')}`);
  process.exit(2);
}
scenario().then(
  (result) => {
    console.log(RESULT_MARKER + JSON.stringify(result));
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
