import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Route, WebSocketRoute } from '@playwright/test';
import WebSocket from 'ws';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  BRIDGE_GLOBAL,
  BRIDGE_METHOD_NAMES,
  DESKTOP_ORIGIN,
  type BridgeEventName,
  type BridgeMethodName,
  type DeviceIdentity,
  type DiscoveredHub,
} from '../shared/desktop';
import { DesktopServices } from '../main/desktop/DesktopServices';
import { createHeadlessShell, type HeadlessShell } from '../main/desktop/headlessShell';
import { serveAppRequest } from '../main/desktop/appProtocol';
import { FILES_PATH, INFO_PATH, PROTOCOL_VERSION } from '../shared/protocol';
import { rawDataBytes } from '../main/hub/rawData';
import { DESKTOP, type BrowserDevice } from './roostPage';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RENDERER = path.join(root, 'dist', 'renderer');

/**
 * What sits behind the preload in the real app:
 * main's checked bridge calls and its events (main/desktop/DesktopServices).
 */
export type DesktopBackend = Pick<DesktopServices, 'call' | 'onEvent'>;

export type BridgeCall = { name: BridgeMethodName; args: unknown[] };

/**
 * The desktop app without Electron: the built renderer in Chromium, with
 * `window.roostDesktop` installed the way the preload installs it, and every
 * call routed to a real backend. Only Electron's IPC is replaced:
 *
 * - Methods: one page binding carries `(name, args)` to Node, to
 *   DesktopServices.call, which checks name and arguments exactly as the IPC
 *   handlers do. Every call is recorded (`calls`).
 * - Events: the backend's events are dispatched into every open page.
 * - WebSockets: the page's socket is relayed from Node with the desktop
 *   renderer's origin (`app://roost`), which Chromium cannot send for a page
 *   served over http. Frames pass unchanged in both directions.
 * - The hub's files (/api/files): relayed the same way, as CORS requests from
 *   `app://roost`, and the page gets the hub's answer only if the hub allows that
 *   origin (relayFilesWithDesktopOrigin).
 * - The page is served as app://roost serves it (main/desktop/appProtocol.ts),
 *   with the desktop window's Content-Security-Policy.
 */
export class DesktopHarness {
  readonly calls: BridgeCall[] = [];
  private waiters: Array<{
    name: BridgeMethodName;
    match: (args: unknown[]) => boolean;
    resolve: (args: unknown[]) => void;
  }> = [];
  private readonly pages = new Set<Page>();
  private readonly contexts = new Set<BrowserContext>();
  private readonly unsubscribe: Array<() => void> = [];

  private constructor(
    private readonly backend: DesktopBackend,
    private readonly server: Server,
    readonly url: string,
  ) {
    this.unsubscribe.push(backend.onEvent((event, payload) => void this.forward(event, payload)));
  }

  static async start(backend: DesktopBackend): Promise<DesktopHarness> {
    if (!existsSync(path.join(RENDERER, 'index.html')))
      throw new Error(`No built renderer in ${RENDERER}: run \`npm run build:web\` first.`);
    const server = createHttpServer((req, res) => {
      void serveAppRequest(RENDERER, { url: `app://roost${req.url ?? '/'}`, method: req.method }).then((answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new DesktopHarness(backend, server, `http://127.0.0.1:${port}/`);
  }

  /** A desktop app window: a fresh context (its own IndexedDB), the bridge installed before any script runs. */
  async openApp(browser: Browser, viewport = DESKTOP): Promise<BrowserDevice> {
    const context = await browser.newContext({ viewport });
    this.contexts.add(context);
    await context.routeWebSocket(
      () => true,
      (route) => relayWithDesktopOrigin(route),
    );
    const pageOrigin = new URL(this.url).origin;
    await context.route(
      (url) => url.origin !== pageOrigin && url.pathname.startsWith(`${FILES_PATH}/`),
      (route) => relayFilesWithDesktopOrigin(route),
    );
    await context.exposeBinding('__roostBridgeInvoke', (_source, name: string, args: unknown[]) =>
      this.invoke(name, args),
    );
    await context.addInitScript(installBridge, { global: BRIDGE_GLOBAL, methods: BRIDGE_METHOD_NAMES });
    const page = await context.newPage();
    this.track(page);
    // As in roostPage.openDevice: a script error or a CSP violation is a bug, whatever the test is about.
    page.on('pageerror', (err) => {
      throw err;
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text()))
        throw new Error(`CSP violation: ${msg.text()}`);
    });
    await page.goto(this.url);
    return { context, page };
  }

  /** Resolves with the arguments of the first matching call, past or future. */
  waitForCall(name: BridgeMethodName, match: (args: unknown[]) => boolean = () => true): Promise<unknown[]> {
    const past = this.calls.find((c) => c.name === name && match(c.args));
    if (past) return Promise.resolve(past.args);
    return new Promise((resolve) => this.waiters.push({ name, match, resolve }));
  }

  callsOf(name: BridgeMethodName): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    for (const context of this.contexts) await context.close().catch(() => {});
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async invoke(name: string, args: unknown[]): Promise<unknown> {
    const answer = await this.backend.call(name, args);
    // Recorded once accepted, so a test waits only on calls main took.
    const call = { name: name as BridgeMethodName, args };
    this.calls.push(call);
    this.waiters = this.waiters.filter((w) => {
      if (w.name !== call.name || !w.match(args)) return true;
      w.resolve(args);
      return false;
    });
    return answer;
  }

  /** Delivers main's event to every open window, as the IPC event channel does. */
  private async forward(event: BridgeEventName, payload: unknown): Promise<void> {
    await Promise.all(
      [...this.pages].map((page) =>
        page
          .evaluate(
            ([e, p]) =>
              (globalThis as unknown as { __roostBridgeEmit?: (e: string, p: unknown) => void }).__roostBridgeEmit?.(
                e,
                p,
              ),
            [event, payload] as const,
          )
          .catch(() => {}),
      ),
    );
  }

  private track(page: Page): void {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    page.on('close', () => this.pages.delete(page));
  }
}

/**
 * Runs in the page before its scripts: what main/electron/preload.ts exposes, over a Playwright binding instead of IPC.
 */
function installBridge({ global, methods }: { global: string; methods: string[] }): void {
  type Listener = (payload: unknown) => void;
  const scope = globalThis as unknown as Record<string, unknown>;
  const listeners = new Map<string, Set<Listener>>();
  const bridge: Record<string, unknown> = {
    on(event: string, listener: Listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const name of methods) {
    bridge[name] = (...args: unknown[]) =>
      (scope.__roostBridgeInvoke as (n: string, a: unknown[]) => Promise<unknown>)(name, args);
  }
  scope.__roostBridgeEmit = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  Object.defineProperty(globalThis, global, { value: Object.freeze(bridge), enumerable: false });
}

/** The page's WebSocket, carried by a Node socket that sends the desktop renderer's origin. */
function relayWithDesktopOrigin(route: WebSocketRoute): void {
  const upstream = new WebSocket(route.url(), { origin: DESKTOP_ORIGIN });
  const queued: string[] = [];
  let closedByPage = false;
  upstream.on('open', () => {
    for (const m of queued.splice(0)) upstream.send(m);
  });
  upstream.on('message', (data, isBinary) => {
    const bytes = rawDataBytes(data);
    route.send(isBinary ? bytes : bytes.toString('utf8'));
  });
  upstream.on('close', (code, reason) => {
    if (closedByPage) return;
    // 1005/1006 cannot be sent in a close frame: report an abnormal end as "going away".
    void route.close({ code: code === 1005 || code === 1006 ? 1001 : code, reason: reason.toString() }).catch(() => {});
  });
  upstream.on('error', () => {});
  route.onMessage((message) => {
    const text = typeof message === 'string' ? message : message.toString();
    if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
    else queued.push(text);
  });
  route.onClose((code, reason) => {
    closedByPage = true;
    if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
    else upstream.close(code && code >= 3000 ? code : 1000, reason);
  });
}

/** Request headers a browser sends cross-origin without asking first (the CORS-safelisted ones, and its own). */
const UNASKED_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'connection',
  'content-language',
  'content-length',
  'host',
  'origin',
  'priority',
  'referer',
  'user-agent',
]);

/**
 * A files request of the page, sent from Node as the desktop window sends it: `Origin: app://roost`, after
 * the preflight Chromium would make (Playwright answers preflights of routed requests itself, so the hub's
 * is asked here). The page sees the hub's answer only if the hub allows app://roost for this method and these
 * headers, with its Access-Control-Allow-Origin mapped to the page's origin; else the request fails, as a
 * CORS refusal does. The Expose-Headers the hub sends pass unchanged, so the page reads only what it lists.
 */
async function relayFilesWithDesktopOrigin(route: Route): Promise<void> {
  const request = route.request();
  const headers = request.headers();
  const pageOrigin = headers.origin;
  if (!pageOrigin) return route.abort('accessdenied');
  const method = request.method();
  const asked = Object.keys(headers).filter((name) => !UNASKED_HEADERS.has(name) && !name.startsWith('sec-'));
  const preflight = await fetch(request.url(), {
    method: 'OPTIONS',
    headers: {
      Origin: DESKTOP_ORIGIN,
      'Access-Control-Request-Method': method,
      ...(asked.length > 0 && { 'Access-Control-Request-Headers': asked.join(',') }),
    },
  });
  const allowedMethods = commaList(preflight.headers.get('access-control-allow-methods'));
  const allowedHeaders = commaList(preflight.headers.get('access-control-allow-headers'));
  const preflightOk =
    preflight.ok &&
    preflight.headers.get('access-control-allow-origin') === DESKTOP_ORIGIN &&
    (['get', 'head', 'post'].includes(method.toLowerCase()) || allowedMethods.includes(method.toLowerCase())) &&
    asked.every((name) => allowedHeaders.includes(name));
  if (!preflightOk) return route.abort('accessdenied');
  const response = await route.fetch({ headers: { ...headers, origin: DESKTOP_ORIGIN }, maxRedirects: 0 });
  const answer = response.headers();
  if (answer['access-control-allow-origin'] !== DESKTOP_ORIGIN) return route.abort('accessdenied');
  await route.fulfill({ response, headers: { ...answer, 'access-control-allow-origin': pageOrigin } });
}

function commaList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
}

/** A port nobody listens on now (for the hub-port field, which takes 1024-65535). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A hub as discovery reports it, from what it answers at GET /api/info (what main/discovery does after an mDNS answer).
 */
export async function discoveredHubAt(url: string): Promise<DiscoveredHub> {
  const info = (await (await fetch(new URL(INFO_PATH, url))).json()) as {
    id: string;
    identity: string;
    name: string;
    protocolVersion: number;
  };
  const { hostname, port } = new URL(url);
  return {
    hubId: info.id,
    identity: info.identity,
    name: info.name,
    protocolVersion: info.protocolVersion,
    compatible: info.protocolVersion === PROTOCOL_VERSION,
    url,
    addresses: [hostname],
    port: Number(port),
  };
}

export type DesktopBackendHandle = {
  /** The real main-side logic: settings on disk in a temporary user-data folder, a real hub when hosting. */
  services: DesktopServices;
  /** The window and OS as DesktopServices sees them: set `window` to hide it, `click()` a notification. */
  shell: HeadlessShell;
  dispose(): Promise<void>;
};

/**
 * DesktopServices as the Electron app would open it, minus Electron: a temporary
 * user-data folder, a headless shell, the hosted hub on loopback and never
 * advertised, and discovery as a fixed list of hubs (the URLs of running hubs)
 * instead of mDNS, so nothing is ever multicast.
 */
export async function startDesktopBackend(
  options: { discovered?: string[]; device?: DeviceIdentity } = {},
): Promise<DesktopBackendHandle> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'roost-desktop-e2e-'));
  const hubs = await Promise.all((options.discovered ?? []).map(discoveredHubAt));
  const shell = createHeadlessShell();
  const services = await DesktopServices.open({
    userDataDir,
    device: options.device ?? { name: 'Ann’s laptop', platform: 'linux' },
    webRoot: RENDERER,
    shell,
    discovery: () => ({ hubs: () => hubs, stop: async () => {} }),
    hosting: { advertise: false, host: '127.0.0.1' },
  });
  return {
    services,
    shell,
    async dispose() {
      await services.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
