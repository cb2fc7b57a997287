/**
 * Where the desktop app reaches the hub it joined, and what it pins there. The renderer connects to
 * `wss://host:port/ws` (Chromium asks certificatePin.ts about the certificate); a hub on this computer
 * (loopback) is left as given, since the hub keeps loopback plain and nothing on the LAN sees it.
 */
import { isIP } from 'node:net';
import type { Setup } from '../../shared/desktop';
import { DEFAULT_PORT, WS_PATH } from '../../shared/protocol';
import type { PinnedHub } from './certificatePin';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

type Endpoint = { host: string; port: number };

/** Host (IPv6 in brackets, as URLs write it) and port of a ws(s):// or http(s):// hub address. */
export function endpointOf(url: string): Endpoint {
  const parsed = new URL(url);
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;
  return { host: parsed.hostname, port };
}

/** The address the renderer joins: `wss://host:port/ws`, or as given (ws or wss) on loopback. */
export function joinedHubUrl(url: string): string {
  const { host, port } = endpointOf(url);
  const secure = !isLoopbackHost(host) || /^(wss|https):/.test(url);
  return `${secure ? 'wss' : 'ws'}://${host}:${port}${WS_PATH}`;
}

/** Where Node asks the hub for its info and identity proof: always over TLS (the hub answers TLS on loopback too). */
export function infoBaseUrl(url: string): string {
  const { host, port } = endpointOf(url);
  return `https://${host}:${port}/`;
}

/** The hub whose certificates the pin check judges: a joined hub with an identity, reached over wss. */
export function pinnedHubOf(setup: Setup): PinnedHub | undefined {
  if (setup.mode !== 'join' || !setup.identity || !setup.hubUrl.startsWith('wss:')) return undefined;
  const { host, port } = endpointOf(setup.hubUrl);
  return { host, port, identity: setup.identity };
}
