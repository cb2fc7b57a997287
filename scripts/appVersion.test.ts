import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../shared/appVersion';

describe('APP_VERSION', () => {
  it('matches package.json, so /api/info reports the version that is installed', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });
});
