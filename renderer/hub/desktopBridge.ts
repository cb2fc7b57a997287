import { BRIDGE_GLOBAL, type DesktopBridge } from '../../shared/desktop';

export type { DesktopBridge };

/**
 * The desktop shell's preload API (`window.roostDesktop`, declared in
 * shared/desktop/bridge.ts), or undefined in a plain browser, where the web
 * client does without. Tolerant: anything that is not an object with the
 * methods the renderer starts with counts as absent.
 */
export function desktopBridge(): DesktopBridge | undefined {
  const candidate: unknown = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const bridge = candidate as Partial<DesktopBridge>;
  return typeof bridge.getSetup === 'function' && typeof bridge.hubUrl === 'function' && typeof bridge.on === 'function'
    ? (bridge as DesktopBridge)
    : undefined;
}
