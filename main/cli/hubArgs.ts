import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  DEFAULT_PORT,
  invisibleCharacterIn,
  invisibleCharacterMessage,
  VISIBLE_NAME_PATTERN,
} from '../../shared/protocol';
import { describeSchemaError } from '../../shared/util/schemaError';

export const HUB_USAGE = `Usage: npm run hub -- [options]             start the hub
       npm run hub -- COMMAND [--data-dir DIR]  give the running hub a command (below)

  --port N         port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR      address to listen on (default: all interfaces)
  --data-dir DIR   where the hub keeps its data (default: see below)
  --name NAME      hub name shown to devices (default: "Roost hub")
  --no-mdns        do not advertise the hub on the local network
  --tls-cert FILE  serve this certificate (PEM) for a name you own, so
  --tls-key FILE   browsers trust the hub; devices keep the hub's identity
  --allow-plain-http  serve browsers on the LAN over plain HTTP too
                   (not encrypted: anyone on the network can read it)
  --new-identity   give the hub a new identity (the old key is kept
                   aside); every device must then pair again
  --max-file-size SIZE   largest file one may send (default 8G)
  --user-files SIZE      files one person may keep on the hub (default 20G)
  --hub-files SIZE       files the hub keeps in all (default 200G)
                   SIZE is a number with K, M, G or T (powers of 1024)
  -h, --help       show this help

The default data directory is $ROOST_DATA_DIR, else the platform's
application data folder (Linux: ~/.local/share/roost/hub).`;

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `8G`, `500M`, `1.5T`, `4096`: bytes, powers of 1024. */
const SizeSchema = z
  .string()
  .regex(/^\d+(\.\d+)?[KMGT]?B?$/i, 'must be a size such as 500M, 8G or 1.5T')
  .transform((text) => {
    const [, number = '0', unit = ''] = /^([\d.]+)([KMGT]?)/i.exec(text) ?? [];
    return Math.floor(Number(number) * (UNITS[unit.toUpperCase()] ?? 1));
  })
  .pipe(z.int().min(1, 'must be more than 0'));

const HubArgsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
    host: z.string().min(1).optional(),
    dataDir: z.string().min(1).optional(),
    name: z
      .string()
      .regex(VISIBLE_NAME_PATTERN, {
        error: (issue) => invisibleCharacterMessage(invisibleCharacterIn(String(issue.input)) ?? 0),
      })
      .trim()
      .min(1)
      .max(64)
      .optional(),
    mdns: z.boolean(),
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    allowPlainHttp: z.boolean(),
    newIdentity: z.boolean(),
    maxFileSize: SizeSchema.optional(),
    userFiles: SizeSchema.optional(),
    hubFiles: SizeSchema.optional(),
    help: z.boolean(),
  })
  .refine((a) => (a.tlsCert === undefined) === (a.tlsKey === undefined), {
    message: 'give --tls-cert and --tls-key together',
    path: ['tlsCert'],
  });
export type HubArgs = z.infer<typeof HubArgsSchema>;

export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** Parses and validates the command line; throws UsageError with a message for a person. */
export function parseHubArgs(argv: string[]): HubArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        name: { type: 'string' },
        'no-mdns': { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'allow-plain-http': { type: 'boolean', default: false },
        'new-identity': { type: 'boolean', default: false },
        'max-file-size': { type: 'string' },
        'user-files': { type: 'string' },
        'hub-files': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const parsed = HubArgsSchema.safeParse({
    port: values.port,
    host: values.host,
    dataDir: values['data-dir'],
    name: values.name,
    mdns: !values['no-mdns'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    allowPlainHttp: values['allow-plain-http'],
    newIdentity: values['new-identity'],
    maxFileSize: values['max-file-size'],
    userFiles: values['user-files'],
    hubFiles: values['hub-files'],
    help: values.help,
  });
  if (!parsed.success) {
    throw new UsageError(
      describeSchemaError(parsed.error, {
        root: 'arguments',
        place: (path) => `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      }),
    );
  }
  return parsed.data;
}
