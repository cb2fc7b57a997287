import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { describeSchemaError } from '../../../shared/util/schemaError';
import { errorMessage } from './errors';

/**
 * `<dir>/usage.json`: bytes of stored lines per user and conversation, each conversation counted
 * through a seq. A checkpoint of what UsageLedger counts, so that start-up need not read the
 * history to know how much each user stores: it counts only what came after the checkpoint.
 * Never trusted over the data: it is written only after the lines it counts are durable, it may
 * lag them (a crash), and anything in it that does not fit the log is recounted from the log.
 */
export const USAGE_FILE = 'usage.json';

const UsageFileSchema = z.object({
  format: z.literal('roost-message-usage'),
  version: z.literal(1),
  conversations: z.record(z.string(), z.object({ seq: z.int().min(0), bytes: z.record(z.string(), z.int().min(0)) })),
});
export type UsageCheckpoint = z.infer<typeof UsageFileSchema>['conversations'];

/** The checkpoint, or null (with the reason told to `warn`) when there is none or it is unreadable. */
export async function readUsageFile(dir: string, warn: (message: string) => void): Promise<UsageCheckpoint | null> {
  const path = join(dir, USAGE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      warn(`message log: cannot read ${path}: ${errorMessage(err)}`);
    return null;
  }
  let parsed;
  try {
    parsed = UsageFileSchema.safeParse(JSON.parse(text));
  } catch (err) {
    warn(`message log: ${path} is not JSON (${errorMessage(err)}); counting storage per user from the log`);
    return null;
  }
  if (!parsed.success) {
    warn(`message log: ${path} is not a usage checkpoint (${describeSchemaError(parsed.error)}); counting again`);
    return null;
  }
  return parsed.data.conversations;
}

/**
 * Replaced whole through a temporary file, so a crash leaves the old checkpoint or the new one.
 * Not fsynced: losing it costs only a longer count at the next start.
 */
export async function writeUsageFile(dir: string, conversations: UsageCheckpoint): Promise<void> {
  const path = join(dir, USAGE_FILE);
  const text = JSON.stringify({ format: 'roost-message-usage', version: 1, conversations });
  await writeFile(`${path}.tmp`, `${text}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}
