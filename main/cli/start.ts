import { findElectronBinary } from './electronBinary';
import { runHub } from './runHub';

/**
 * `npm start`. The desktop shell (Electron) is not part of this build yet;
 * until it is, and wherever Electron cannot be installed, start the headless
 * hub so the app is still usable from a browser. One line says why, never a stack trace.
 */
const electron = findElectronBinary();
const why = 'path' in electron ? 'the desktop window is not built yet' : electron.missing;
console.log(`roost: ${why}; starting the headless hub instead. Open one of the URLs below in a browser.`);
runHub(process.argv.slice(2)).catch((err: unknown) => {
  console.error('roost: unexpected failure:', err);
  process.exit(1);
});
