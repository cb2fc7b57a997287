/**
 * Writes docs/protocol/frames.md and docs/protocol/roost-protocol.schema.json
 * from the zod schemas in shared/protocol. generate.test.ts fails when the
 * committed files differ from what this would write.
 *
 * Run: `npm run docs:protocol`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateProtocolDocs, ROOT } from './protocolDocs';

for (const file of await generateProtocolDocs()) {
  const target = path.join(ROOT, file.path);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, file.text);
  console.log(`wrote ${file.path}`);
}
