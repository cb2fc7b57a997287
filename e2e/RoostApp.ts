import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../main/cli/electronBinary';
import type { NotificationRequest } from '../shared/desktop';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What main records when ROOST_E2E=1 (main/electron/e2eProbe.ts), read with `evaluate`. */
export type RoostE2E = { notifications: NotificationRequest[]; unreadCount: number; trayTooltip: string };

/** Why the real app cannot be launched here, or undefined when it can. */
export function electronUnavailableReason(): string | undefined {
  const found = findElectronBinary();
  return 'missing' in found ? found.missing : undefined;
}

/**
 * One running instance of the real desktop app (package.json main, the built
 * dist/), with its own profile folder, so its own settings, hub data and
 * single-instance lock.
 */
export class RoostApp {
  private constructor(
    readonly app: ElectronApplication,
    readonly window: Page,
    readonly userData: string,
    private readonly ownsUserData: boolean,
  ) {}

  static async launch(userData?: string): Promise<RoostApp> {
    const found = findElectronBinary();
    if ('missing' in found) throw new Error(found.missing);
    const dir = userData ?? (await mkdtemp(path.join(tmpdir(), 'roost-electron-e2e-')));
    const app = await _electron.launch({
      // Named, not left to Playwright: it would require('electron'), which (Electron 42+) downloads a missing binary.
      executablePath: found.path,
      args: [root],
      cwd: root,
      env: appEnv(dir),
      // Playwright adds --no-sandbox on Linux unless asked not to; the app must work sandboxed.
      chromiumSandbox: true,
    });
    const window = await app.firstWindow();
    window.on('pageerror', (err) => {
      throw err;
    });
    return new RoostApp(app, window, dir, userData === undefined);
  }

  /** What main recorded: notifications shown, the unread count, the tray's tooltip. */
  probe(): Promise<RoostE2E> {
    return this.app.evaluate(() => {
      const probe = (globalThis as { roostE2E?: RoostE2E }).roostE2E;
      if (!probe) throw new Error('globalThis.roostE2E is missing: was the app started with ROOST_E2E=1?');
      return probe;
    });
  }

  /** The main window as the OS sees it. */
  windowState(): Promise<{ visible: boolean; focused: boolean; minimized: boolean }> {
    return this.app.evaluate(({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0];
      if (!win) throw new Error('the app has no window');
      return { visible: win.isVisible(), focused: win.isFocused(), minimized: win.isMinimized() };
    });
  }

  /** Closes the window the way a person does: it hides to the tray and the app keeps running. */
  async closeWindow(): Promise<void> {
    await this.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
  }

  async showWindow(): Promise<void> {
    await this.app.evaluate(({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0];
      win?.show();
      win?.focus();
    });
  }

  async close(): Promise<void> {
    await this.app.close().catch(() => undefined);
    if (this.ownsUserData) await rm(this.userData, { recursive: true, force: true });
  }
}

/**
 * Starts the app once more with the same profile, outside Playwright (it is
 * expected to hand over to the running instance and exit at once), and
 * resolves with its exit code.
 */
export function launchSecondInstance(userData: string, timeoutMs = 20_000): Promise<number | null> {
  const found = findElectronBinary();
  if ('missing' in found) throw new Error(found.missing);
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(found.path, [root], { cwd: root, env: appEnv(userData), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the second instance was still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function appEnv(userData: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  // Set by some tools (and inherited from them); Electron would then run main.cjs as plain Node.
  // Playwright does not clear it.
  delete env.ELECTRON_RUN_AS_NODE;
  return { ...env, ROOST_E2E: '1', ROOST_USER_DATA: userData };
}

/** A free TCP port on loopback, for the hub this app hosts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
