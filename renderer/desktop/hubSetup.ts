import type { DiscoveredHub, HostingStatus, Setup } from '../../shared/desktop';
import { DEFAULT_PORT, PROTOCOL_VERSION } from '../../shared/protocol';
import { parseHubAddress } from '../hub/hubAddress';

/** A hub name is one DNS label (it is advertised over mDNS). */
export const MAX_HUB_NAME = 63;
export { DEFAULT_PORT };

/** "Ann's laptop's hub" from the computer's name; "Roost hub" if it has none. */
export function defaultHubName(deviceName: string): string {
  const name = deviceName.trim();
  if (!name) return 'Roost hub';
  const suffix = name.endsWith('s') ? "' hub" : "'s hub";
  return `${name.slice(0, MAX_HUB_NAME - suffix.length)}${suffix}`;
}

export function hubNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the hub a name, so people recognise it on the network.';
  if (trimmed.length > MAX_HUB_NAME) return `A hub name can be at most ${MAX_HUB_NAME} characters.`;
  return undefined;
}

export type ParsedPort = { ok: true; port: number } | { ok: false; error: string };

/** A port as typed: a whole number from 1024 (lower ones need administrator rights) to 65535. */
export function parsePort(text: string): ParsedPort {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, port: DEFAULT_PORT };
  if (!/^\d{1,5}$/.test(trimmed))
    return { ok: false, error: `“${trimmed}” is not a port number. Use a number such as ${DEFAULT_PORT}.` };
  const port = Number(trimmed);
  if (port < 1024)
    return {
      ok: false,
      error: `Port ${port} needs administrator rights. Pick one from 1024 to 65535, such as ${DEFAULT_PORT}.`,
    };
  if (port > 65535) return { ok: false, error: `Ports go up to 65535; ${port} is too high.` };
  return { ok: true, port };
}

/** The WebSocket address to join a discovered hub at (from the URL where it answered /api/info). */
export function discoveredHubWsUrl(hub: DiscoveredHub): string | undefined {
  const parsed = parseHubAddress(hub.url);
  return parsed.ok ? parsed.address.wsUrl : undefined;
}

/** Why a discovered hub cannot be joined from here; undefined when it can. */
export function incompatibleHubText(hub: DiscoveredHub, ownProtocol = PROTOCOL_VERSION): string | undefined {
  if (hub.compatible) return undefined;
  return hub.protocolVersion > ownProtocol
    ? `Runs a newer version of Roost (protocol ${hub.protocolVersion}). Update this app to join it.`
    : `Runs an older version of Roost (protocol ${hub.protocolVersion}). Its owner needs to update it.`;
}

/** `host:port` of a discovered hub, for people. */
export function discoveredHubLabel(hub: DiscoveredHub): string {
  try {
    return new URL(hub.url).host;
  } catch {
    return `${hub.addresses[0] ?? '?'}:${hub.port}`;
  }
}

type HostingError = Extract<HostingStatus, { state: 'error' }>;

/** What to tell the person whose hub did not start, and what they can do. */
export function hostingErrorText(status: HostingError, port?: number): string {
  switch (status.code) {
    case 'PORT_IN_USE':
      return (
        `${port ? `Port ${port}` : 'That port'} is already used by another program (perhaps another hub). ` +
        'Pick another port and try again.'
      );
    case 'DATA_DIR_LOCKED':
      return 'Another Roost hub is already running with this computer’s hub data. Close it, then try again.';
    case 'TLS_CERT_INVALID':
      return `That certificate cannot be used: ${status.message}`;
    case 'START_FAILED':
      return `The hub could not start: ${status.message}`;
  }
}

/**
 * The identity the window's connections are held to, which its client signs for and accepts in `welcome`
 * (HubAddress.identity): a joined hub's pin, which Electron's certificate check enforces, or this computer's own
 * running hub's.
 */
export function heldIdentity(setup: Setup, hosting: HostingStatus | undefined): string | undefined {
  if (setup.mode === 'join') return setup.identity;
  if (setup.mode === 'host' && hosting?.state === 'running') return hosting.identity;
  return undefined;
}
