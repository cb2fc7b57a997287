import { findElectronBinary } from './electronBinary';
import { runHub } from './runHub';

/**
 * `npm start`: the desktop app where Electron is installed. Where it cannot be
 * (no binary: its download needs the internet), one line says why and the
 * headless hub starts instead, so the app is still usable from a browser.
 * Never a stack trace.
 */
const argv = process.argv.slice(2);
const electron = findElectronBinary();

if ('path' in electron) {
  const { launchDesktop } = await import('./launchDesktop');
  await launchDesktop(electron.path, argv).catch((err: unknown) => {
    console.error(`roost: could not start the desktop app: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
} else {
  console.log(
    `roost: ${electron.missing}; starting the headless hub instead. Open one of the URLs below in a browser.`,
  );
  await runHub(argv).catch((err: unknown) => {
    console.error(`roost: unexpected failure: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
