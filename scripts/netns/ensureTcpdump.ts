/**
 * Step of `npm test` before the tests: the capture test (main/hub/transport.netns.test.ts) needs tcpdump. It
 * runs only as root (network namespaces), so only then is tcpdump worth getting: Debian's through apt,
 * bounded in time. Never fails the run: without tcpdump that one test skips and says why.
 */
import { spawnSync } from 'node:child_process';
import { runBounded } from '../browser/runBounded';

const APT_TIMEOUT_MS = 5 * 60_000;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

async function main(): Promise<void> {
  if (has('tcpdump')) return;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !has('apt-get')) return;
  console.log('roost: installing tcpdump for the capture test (apt-get, at most 5 min each step)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const wait = ['-o', 'DPkg::Lock::Timeout=60'];
  const install = () => runBounded('apt-get', [...wait, 'install', '-y', '-q', 'tcpdump'], APT_TIMEOUT_MS, { env });
  let result = await install();
  if (!result.ok && (await runBounded('apt-get', [...wait, 'update', '-q'], APT_TIMEOUT_MS, { env })).ok) {
    result = await install();
  }
  if (!result.ok) console.log(`roost: could not install tcpdump (${result.why}); the capture test will skip.`);
}

await main();
