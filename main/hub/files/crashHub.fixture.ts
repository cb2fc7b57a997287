import { Hub } from '../Hub';

/**
 * Child process for hub.filesCrash.test.ts: a real hub on `<dataDir>`, 127.0.0.1, a free port (or the one
 * given), with pairing open. Prints one line, `{"port": N, "code": "CODE"}`, then runs until it is killed.
 */
const [dataDir, port = '0', freeReserveBytes] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: crashHub.fixture.ts <dataDir> [port] [freeReserveBytes]');
const hub = await Hub.start({
  dataDir,
  port: Number(port),
  host: '127.0.0.1',
  logger: { info: () => {}, warn: () => {}, error: (m, err) => console.error(m, err) },
  ...(freeReserveBytes !== undefined && { files: { freeReserveBytes: Number(freeReserveBytes) } }),
});
hub.openPairing();
process.stdout.write(`${JSON.stringify({ port: hub.port, code: hub.pairingCode().code })}\n`);
