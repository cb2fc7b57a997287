import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { describeSchemaError } from '../../../shared/util/schemaError';
import { LogError, LogErrorCode, errorMessage } from './errors';
import type { LogFs } from './logFs';

/**
 * `<dir>/log-format.json` names the on-disk format, so that a later version
 * can recognise (and migrate) data written by this one, and this one refuses
 * data it does not understand instead of misreading it.
 */
export const LOG_FORMAT_VERSION = 1;
export const FORMAT_FILE = 'log-format.json';

const FormatFileSchema = z.object({
  format: z.literal('roost-message-log'),
  version: z.int().min(1),
});

export async function checkOrWriteFormat(dir: string, fs: LogFs): Promise<void> {
  const path = join(dir, FORMAT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // Written under a temporary name and renamed, so a crash never leaves a torn format file.
    await writeFile(
      `${path}.tmp`,
      `${JSON.stringify({ format: 'roost-message-log', version: LOG_FORMAT_VERSION })}\n`,
      { flush: true, mode: 0o600 },
    );
    await rename(`${path}.tmp`, path);
    await fs.syncDir(dir);
    // The directory itself may be new: its own entry must survive a power loss too.
    await fs.syncDir(dirname(dir));
    return;
  }
  let parsed;
  try {
    parsed = FormatFileSchema.safeParse(JSON.parse(text));
  } catch (err) {
    throw new LogError(
      LogErrorCode.format,
      `${path} is not valid JSON (${errorMessage(err)}); ` +
        `restore it or remove it if the directory holds a version ${LOG_FORMAT_VERSION} log`,
    );
  }
  if (!parsed.success)
    throw new LogError(
      LogErrorCode.format,
      `${path} does not describe a Roost message log: ${describeSchemaError(parsed.error)}`,
    );
  if (parsed.data.version !== LOG_FORMAT_VERSION) {
    throw new LogError(
      LogErrorCode.format,
      `${path} says format version ${parsed.data.version}; this hub reads version ${LOG_FORMAT_VERSION} only`,
    );
  }
}
