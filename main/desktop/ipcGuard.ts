/**
 * The checks every bridge call passes before main acts on it: it comes from
 * our own page, names a known method, and its arguments fit that method's
 * schema. Pure, so the Electron IPC handlers and any stand-in transport (a
 * Playwright binding) apply exactly the same rules.
 */
import type { z } from 'zod';
import {
  BRIDGE_METHODS,
  DESKTOP_HOST,
  DESKTOP_SCHEME,
  type BridgeHandlers,
  type BridgeMethodName,
  type BridgeResult,
} from '../../shared/desktop';
import { describeSchemaError } from '../../shared/util/schemaError';

export const BridgeErrorCode = {
  /** The arguments do not fit the method's schema. */
  BAD_ARGUMENTS: 'BAD_ARGUMENTS',
  /** No such bridge method. */
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  /** The call did not come from the main frame of our own page. */
  UNTRUSTED_SENDER: 'UNTRUSTED_SENDER',
  /** The app is quitting: nothing may start a hub or change the setup any more. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** An owner's control of the hosted hub, while this computer hosts none. */
  NOT_HOSTING: 'NOT_HOSTING',
  /** The typed hub address did not answer (nothing there, not a hub, or too slow). */
  HUB_UNREACHABLE: 'HUB_UNREACHABLE',
  /** Something answered at the typed address but proved no hub identity inside TLS. */
  HUB_IDENTITY_UNPROVEN: 'HUB_IDENTITY_UNPROVEN',
} as const;
export type BridgeErrorCode = (typeof BridgeErrorCode)[keyof typeof BridgeErrorCode];

/**
 * Electron passes only an error's message across IPC, so the code leads the
 * message (`BAD_ARGUMENTS: ...`) where the renderer can still read it.
 */
export class BridgeCallError extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'BridgeCallError';
  }
}

type ParsedArgs<K extends BridgeMethodName> = z.output<(typeof BRIDGE_METHODS)[K]['args']>;

export function isBridgeMethod(name: unknown): name is BridgeMethodName {
  return typeof name === 'string' && Object.hasOwn(BRIDGE_METHODS, name);
}

/**
 * The method's arguments, parsed by its schema (trimmed names and so on), or a BAD_ARGUMENTS error naming the problem.
 */
export function parseBridgeArgs<K extends BridgeMethodName>(
  name: K,
  args: readonly unknown[],
): { ok: true; args: ParsedArgs<K> } | { ok: false; error: BridgeCallError } {
  const parsed = BRIDGE_METHODS[name].args.safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data as ParsedArgs<K> };
  const problem = describeSchemaError(parsed.error, { root: 'arguments', place: (path) => `argument ${path}` });
  return { ok: false, error: new BridgeCallError(BridgeErrorCode.BAD_ARGUMENTS, `${name}: ${problem}`) };
}

/** What Electron tells about the frame a call came from (event.senderFrame). */
export type SenderFrame = {
  /** The frame's URL; `app://roost/...` for our page. */
  url: string;
  /** Whether it is the top frame of our own window's web contents (not an iframe, not another window). */
  isMainFrameOfOurWindow: boolean;
};

/**
 * Only the main frame of our window showing our own page may call main:
 * never an iframe, a popup or a navigated-away page.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame || !frame.isMainFrameOfOurWindow) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  // URL.origin is "null" for schemes Node does not know, so compare the parts.
  return url.protocol === `${DESKTOP_SCHEME}:` && url.host === DESKTOP_HOST && !url.username && !url.password;
}

/**
 * Checks and runs one bridge call: unknown method → UNKNOWN_METHOD, bad
 * arguments → BAD_ARGUMENTS, otherwise the handler's result (or its error).
 * The sender must have been checked before.
 */
export async function dispatchBridgeCall(
  handlers: BridgeHandlers,
  name: unknown,
  args: readonly unknown[],
): Promise<BridgeResult<BridgeMethodName>> {
  if (!isBridgeMethod(name))
    throw new BridgeCallError(
      BridgeErrorCode.UNKNOWN_METHOD,
      `no bridge method ${JSON.stringify(String(name)).slice(0, 80)}`,
    );
  const parsed = parseBridgeArgs(name, args);
  if (!parsed.ok) throw parsed.error;
  // Each name maps to its own handler; TypeScript cannot correlate the two through the union, hence the cast.
  const handler = handlers[name] as (
    ...a: readonly unknown[]
  ) => Promise<BridgeResult<BridgeMethodName>> | BridgeResult<BridgeMethodName>;
  return await handler.apply(handlers, parsed.args as unknown[]);
}
