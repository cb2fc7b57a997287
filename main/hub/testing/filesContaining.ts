import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` (relative paths) whose bytes contain `text`: where a deleted text may still lie. */
export async function filesContaining(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, entry);
    if (!(await stat(file)).isFile()) continue;
    if ((await readFile(file)).includes(text)) found.push(entry);
  }
  return found;
}
