import { operatorSocketPath } from '../hub/operator/operatorSocketPath';
import type { OperatorArgs, OperatorCommand } from '../hub/operator/operatorProtocol';
import { defaultDataDir } from './dataDirDefault';
import { UsageError } from './hubArgs';
import { CommandRefusedError, NoHubError, sendOperatorCommand } from './operatorClient';
import { formatResult } from './operatorOutput';

/** The words `npm run hub -- <command>` accepts; anything else is the hub's own options. */
export const OPERATOR_WORDS = [
  'users',
  'devices',
  'remove-device',
  'remove-user',
  'delete-message',
  'rename',
  'pairing',
  'audit',
] as const;

export const OPERATOR_USAGE = `Commands for the hub running with the same data directory (--data-dir, or the default):

  users                        list users and their devices
  devices                      list every device
  remove-device DEVICE_ID      remove a device: it is cut off at once
  remove-user USER_ID          remove a user and all their devices; their messages stay,
                               shown as from a removed user
  delete-message CONV SEQ      delete message SEQ of conversation CONV for everyone
  rename NAME                  rename the hub
  pairing                      whether pairing by code is open, and recent failed attempts
  pairing open [MINUTES]       accept codes for MINUTES (default 10, at most 60)
  pairing close                stop accepting codes (join links still work)
  audit [N]                    the last N entries of the audit log (default 20)

An id that starts with -- goes after a lone --: remove-user -- --x1Kq.`;

export type ParsedCommand = { dataDir: string; command: OperatorCommand; args: Record<string, unknown> };

export function isOperatorCommand(argv: readonly string[]): boolean {
  return (OPERATOR_WORDS as readonly string[]).includes(argv[0] ?? '');
}

/** The command, its arguments and the data directory; throws UsageError with a message for a person. */
export function parseOperatorArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCommand {
  const parsed = splitArgs(argv);
  const [word, ...rest] = parsed.positionals;
  const dataDir = parsed.dataDir ?? defaultDataDir(env);
  const needs = (n: number, what: string) => {
    if (rest.length !== n) throw new UsageError(`${word} takes ${what}`);
  };
  const integer = (text: string | undefined, what: string): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d{1,15}$/.test(text)) throw new UsageError(`${what} must be a whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  switch (word) {
    case 'users':
    case 'devices':
      needs(0, 'no arguments');
      return { dataDir, command: word, args: {} };
    case 'remove-device':
      needs(1, 'a device id (see `devices`)');
      return { dataDir, command: word, args: { deviceId: rest[0] } };
    case 'remove-user':
      needs(1, 'a user id (see `users`)');
      return { dataDir, command: word, args: { userId: rest[0] } };
    case 'delete-message':
      needs(2, 'a conversation id and a message seq');
      return { dataDir, command: word, args: { conversationId: rest[0], seq: integer(rest[1], 'SEQ') } };
    case 'rename':
      if (rest.length === 0) throw new UsageError('rename takes the new name');
      return { dataDir, command: word, args: { name: rest.join(' ') } };
    case 'pairing':
      return pairingCommand(dataDir, rest, integer);
    case 'audit':
      if (rest.length > 1) throw new UsageError('audit takes at most a number of entries');
      return { dataDir, command: word, args: { limit: integer(rest[0], 'N') ?? 20 } };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(word)}`);
  }
}

function pairingCommand(
  dataDir: string,
  rest: string[],
  integer: (text: string | undefined, what: string) => number | undefined,
): ParsedCommand {
  const [sub, minutes, ...extra] = rest;
  if (sub === undefined) return { dataDir, command: 'pairing', args: {} };
  if (sub === 'open' && extra.length === 0)
    return { dataDir, command: 'pairing-open', args: { minutes: integer(minutes, 'MINUTES') } };
  if (sub === 'close' && minutes === undefined) return { dataDir, command: 'pairing-close', args: {} };
  throw new UsageError('pairing takes nothing, `open [MINUTES]` or `close`');
}

/**
 * `--data-dir DIR` (or `=DIR`) is the only option; everything else is a word of the command. Not node:util's
 * parseArgs: ids may start with `-` (64 letters, digits, `_` and `-`), which it reads as options. An id that
 * starts with `--` goes after a `--`.
 */
function splitArgs(argv: string[]): { positionals: string[]; dataDir: string | undefined } {
  const positionals: string[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--data-dir') {
      dataDir = argv[++i];
      if (!dataDir) throw new UsageError('--data-dir needs a directory');
    } else if (arg.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg} (put -- before an id that starts with --)`);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, dataDir };
}

export type CliOutput = { out: (line: string) => void; err: (line: string) => void };

/**
 * `npm run hub -- <command>`: sends the command to the running hub through its operator socket and prints
 * the result. Resolves with the exit code: 0 done, 1 refused or failed, 2 bad usage, 3 no hub running.
 */
export async function runOperatorCli(argv: string[], output: CliOutput, env = process.env): Promise<number> {
  let parsed: ParsedCommand;
  try {
    parsed = parseOperatorArgs(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    output.err(`roost: ${err.message}\n\n${OPERATOR_USAGE}`);
    return 2;
  }
  const socketPath = operatorSocketPath(parsed.dataDir);
  try {
    const result = await sendOperatorCommand(
      socketPath,
      parsed.dataDir,
      parsed.command,
      parsed.args as OperatorArgs<typeof parsed.command>,
    );
    for (const line of formatResult(parsed.command, result)) output.out(line);
    return 0;
  } catch (err) {
    if (err instanceof NoHubError) {
      output.err(`roost: ${err.message}`);
      return 3;
    }
    if (err instanceof CommandRefusedError) {
      output.err(`roost: ${err.message} (${err.code})`);
      return 1;
    }
    output.err(`roost: ${(err as Error).message}`);
    return 1;
  }
}
