import { readFileSync } from 'node:fs';

/**
 * The process's soft limit on open files, where the OS tells it: Linux's
 * /proc/self/limits. Node raises the soft limit to the hard one at start-up,
 * so this is what the hub really has. undefined elsewhere (macOS, Windows) and
 * when unlimited.
 */
export function openFileLimit(
  read: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  let text: string;
  try {
    text = read();
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+)\s/m.exec(text)?.[1];
  return soft === undefined ? undefined : Number(soft);
}
