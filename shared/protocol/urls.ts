import { z } from 'zod';

/** `http(s)://host:port/...`: the only kind of address a hub or an external link may have. */
export const HttpUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);
/** `ws://host:port/ws` (or wss), the address a client connects to. */
export const WsUrlSchema = z.url({ protocol: /^wss?$/ }).max(2048);

/**
 * The origin the desktop app's renderer is served from (a privileged custom
 * scheme). Every hub accepts it besides its own (PROTOCOL.md 3.4): no web page
 * can send it, only a native app on the user's machine.
 */
export const DESKTOP_SCHEME = 'app';
export const DESKTOP_HOST = 'roost';
export const DESKTOP_ORIGIN = `${DESKTOP_SCHEME}://${DESKTOP_HOST}`;
