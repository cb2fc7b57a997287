/**
 * `npm run build:desktop`: the desktop app's main-process bundles
 * (main/cli/desktopBuild.ts, which `npm start` also runs). The web client is
 * built separately: `npm run build:web`.
 */
import path from 'node:path';
import { buildDesktop, DESKTOP_BUILD_DIR } from '../main/cli/desktopBuild';
import { REPO_ROOT } from '../main/cli/webBuild';

buildDesktop().then(
  () => console.log(`roost: desktop bundles written to ${path.relative(REPO_ROOT, DESKTOP_BUILD_DIR)}/`),
  (err: unknown) => {
    console.error(`roost: the desktop build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
