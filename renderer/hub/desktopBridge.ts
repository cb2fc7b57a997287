import type { Platform } from '../../shared/protocol';

/**
 * What the desktop shell offers the renderer through its preload, as
 * `window.roostDesktop`. In a browser it is simply absent and the web client
 * does without. One named method per operation (docs/STYLE: the preload never
 * forwards arbitrary channels).
 *
 * TODO(issue #4): move this interface to shared/ once main/electron implements it.
 */
export interface DesktopBridge {
  /** The hub this app talks to (its own, or one chosen through discovery), as `ws(s)://host:port/ws`; undefined to ask the user. */
  hubUrl(): Promise<string | undefined>;
  /** How this computer introduces itself when it pairs. */
  device(): Promise<{ name: string; platform: Platform }>;
}

/** The desktop bridge, or undefined in a plain browser. */
export function desktopBridge(): DesktopBridge | undefined {
  const candidate: unknown = (globalThis as { roostDesktop?: unknown }).roostDesktop;
  return typeof candidate === 'object' && candidate !== null ? (candidate as DesktopBridge) : undefined;
}
