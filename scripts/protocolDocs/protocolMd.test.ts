import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_FRAME_TYPES, LIMITS, REQUESTS, WHITESPACE_RANGES, type RequestSpec } from '../../shared/protocol';
import { ROOT } from './protocolDocs';

/** docs/PROTOCOL.md stays compact, and says what the code says where both state a number. */
const SPEC = path.join(ROOT, 'docs/PROTOCOL.md');
const MAX_BYTES = 40 * 1024;
const spec = await readFile(SPEC, 'utf8');

describe('docs/PROTOCOL.md', () => {
  it(`is at most ${MAX_BYTES} bytes`, async () => {
    const { size } = await stat(SPEC);
    if (size > MAX_BYTES)
      throw new Error(`docs/PROTOCOL.md is ${size} bytes, over ${MAX_BYTES}: state each rule once, move the rest out`);
  });

  it('has every section the request table points to, in it or its appendices', async () => {
    const files = await readdir(path.join(ROOT, 'docs/protocol'));
    const appendices = files.filter((f) => f.startsWith('appendix-'));
    const texts = [
      spec,
      ...(await Promise.all(appendices.map((f) => readFile(path.join(ROOT, 'docs/protocol', f), 'utf8')))),
    ];
    const headings = new Set(
      texts.flatMap((t) => [...t.matchAll(/^#{2,3} ((?:[A-Z]|\d+)(?:\.\d+)?)\.? /gm)].map((m) => m[1])),
    );
    for (const type of CLIENT_FRAME_TYPES) {
      const { section } = REQUESTS[type] as RequestSpec;
      expect(headings.has(section), `${type}: section ${section}`).toBe(true);
    }
  });

  it('lists every fixed limit in its limits table, with the value shared/protocol/limits.ts has', () => {
    const rows = spec.split('\n').filter((line) => line.startsWith('|'));
    for (const [name, value] of Object.entries(LIMITS)) {
      const row = rows.find((r) => r.includes(`\`${name}\``));
      expect(row, `a row naming ${name}`).toBeDefined();
      expect(row, name).toContain(String(value));
    }
  });

  it('defines whitespace as shared/protocol/whitespace.ts does', () => {
    const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    const listed = WHITESPACE_RANGES.map(([a, b]) =>
      a === b ? hex(a) : b === a + 1 ? `${hex(a)}, ${hex(b)}` : `${hex(a)}-${hex(b)}`,
    );
    expect(spec).toContain(`**Whitespace** is exactly these code points: ${listed.join(', ')} `);
  });

  it('no longer says the code wins', () => {
    expect(spec).not.toMatch(/code wins/i);
  });
});
