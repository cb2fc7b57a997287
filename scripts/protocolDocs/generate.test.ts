import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProtocolDocs, ROOT } from './protocolDocs';

/** The committed frame reference and JSON Schema are what the schemas say today. */
describe('docs/protocol is generated from shared/protocol', () => {
  it('is up to date', async () => {
    for (const file of await generateProtocolDocs()) {
      const committed = await readFile(path.join(ROOT, file.path), 'utf8').catch(() => '');
      if (committed !== file.text) throw new Error(`${file.path} is out of date: run npm run docs:protocol`);
    }
  });

  it('lists every frame in the reference', async () => {
    const [frames] = await generateProtocolDocs();
    expect(frames?.text).toContain('<a id="client-send"></a>');
    expect(frames?.text).toContain('<a id="hub-ack"></a>');
  });
});
