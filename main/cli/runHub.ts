import { advertiseHub } from '../discovery/advertise';
import { formatIdentity } from '../../shared/protocol';
import { Hub } from '../hub/Hub';
import { createStaticHandler } from '../hub/staticFiles';
import { defaultDataDir } from './dataDirDefault';
import { HUB_USAGE, parseHubArgs, UsageError, type HubArgs } from './hubArgs';
import { hubUrls, joinLinkUrl } from '../hub/hubUrls';
import { isOperatorCommand, OPERATOR_USAGE, runOperatorCli } from './operatorCli';
import { printPairing } from './pairingOutput';
import { ensureWebBuild } from './webBuild';

/** `npm run hub`: the hub in plain Node, without Electron. Prints where to connect and the pairing code. */
export async function runHub(argv: string[]): Promise<void> {
  if (isOperatorCommand(argv)) {
    const output = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
    process.exitCode = await runOperatorCli(argv, output);
    return;
  }
  let args: HubArgs;
  try {
    args = parseHubArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`roost: ${err.message}\n\n${HUB_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(`${HUB_USAGE}\n\n${OPERATOR_USAGE}`);
    return;
  }
  const dataDir = args.dataDir ?? defaultDataDir();
  const webRoot = await ensureWebBuild((line) => console.log(`roost: ${line}`));
  let hub: Hub;
  try {
    hub = await Hub.start({
      dataDir,
      port: args.port,
      host: args.host,
      name: args.name,
      rename: args.name !== undefined,
      serveStatic: webRoot ? createStaticHandler(webRoot) : undefined,
      tls: {
        certFile: args.tlsCert,
        keyFile: args.tlsKey,
        allowPlainHttp: args.allowPlainHttp,
        newIdentity: args.newIdentity,
      },
      files: {
        ...(args.maxFileSize === undefined ? {} : { maxFileBytes: args.maxFileSize }),
        ...(args.userFiles === undefined ? {} : { userBytes: args.userFiles }),
        ...(args.hubFiles === undefined ? {} : { hubBytes: args.hubFiles }),
      },
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      console.error(`roost: port ${args.port} is in use. Pick another with --port, or --port 0 for any free one.`);
    else console.error(`roost: could not start the hub: ${e.message}`);
    process.exit(1);
  }
  const info = hub.info();
  const urls = hubUrls(hub.port, args.host);
  console.log(`Roost hub "${info.name}" is running (protocol ${info.protocolVersion}, Roost ${info.appVersion}).`);
  console.log(`  Data directory: ${dataDir}`);
  console.log(`  Listening on port ${hub.port} (HTTPS). Open on a device:`);
  for (const url of urls) console.log(`    ${url}`);
  console.log(`  Hub identity (compare it when a device asks): ${formatIdentity(hub.identity)}`);
  console.log(`  Its public key's SHA-256, as browsers show it: ${hub.publicKeyFingerprint}`);
  if (args.allowPlainHttp) console.log('  Plain HTTP is allowed for browsers (--allow-plain-http): not encrypted.');
  // Codes are accepted only while pairing is open: a headless hub opens it at start, for the default window.
  hub.openPairing();
  printPairing(hub, (line) => console.log(line));
  if (webRoot) {
    const join = hub.createJoinToken();
    const link = joinLinkUrl(urls[0] ?? `https://localhost:${hub.port}/`, join.token, hub.identity);
    console.log(`  One-time join link (valid until ${clock(join.expiresAt)}): ${link}`);
  }
  const advertise = () =>
    args.mdns
      ? advertiseHub({
          port: hub.port,
          hubId: info.id,
          identity: hub.identity,
          name: hub.info().name,
          protocolVersion: info.protocolVersion,
          onError: (e: Error) =>
            console.warn(`roost: mDNS advertising failed (${e.message}); devices can still use the URLs above.`),
        })
      : undefined;
  let advert = advertise();
  console.log(
    args.mdns ? '  Advertised on the local network as _roost._tcp.' : '  Not advertised on the network (--no-mdns).',
  );
  if (hub.operatorSocketPath)
    console.log('  Give it commands from another terminal: npm run hub -- --help (users, pairing open, ...).');
  console.log('Press Ctrl+C to stop.');
  // A rename (npm run hub -- rename) is advertised under the new name.
  hub.operator.onChange((change) => {
    if (change !== 'name') return;
    console.log(`  Renamed to "${hub.info().name}".`);
    const old = advert;
    advert = undefined;
    void (old?.stop().catch(() => {}) ?? Promise.resolve()).then(() => {
      if (!stopping) advert = advertise();
    });
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error('roost: forced exit.');
      process.exit(1);
    }
    stopping = true;
    console.log(`\nroost: ${signal} received, stopping: flushing messages and closing connections...`);
    await advert?.stop().catch(() => {});
    await hub.stop();
    console.log('roost: stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
