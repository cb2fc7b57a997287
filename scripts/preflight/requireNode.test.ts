import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'requireNode.cjs');
const { nodeVersionProblem, RECOMMENDED_MAJOR } = createRequire(import.meta.url)(script) as {
  nodeVersionProblem: (version: string, range: string) => string | null;
  RECOMMENDED_MAJOR: number;
};

/** Runs the real script in a Node that reports `version`, as an old Node would. */
function runAs(version: string) {
  const fake = `Object.defineProperty(process, 'version', { value: ${JSON.stringify(version)} });`;
  return spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(fake)}`, script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('requireNode', () => {
  it('accepts versions at or above engines.node and refuses older ones', () => {
    expect(nodeVersionProblem('v22.12.0', '>=22.12')).toBeNull();
    expect(nodeVersionProblem('v24.22.3', '>=22.12')).toBeNull();
    expect(nodeVersionProblem('v23.0.0', '>=22.12')).toBeNull();
    expect(nodeVersionProblem('v22.11.9', '>=22.12')).toMatch(/Node v22\.11\.9; Roost needs Node 22\.12/);
    expect(nodeVersionProblem('v20.20.2', '>=22.12')).toMatch(/Install Node 24/);
  });

  it('names Electron 45’s Node line, and package.json’s engines is what it reads', () => {
    expect(RECOMMENDED_MAJOR).toBe(24);
    expect(pkg.engines.node).toBe('>=22.12');
  });

  it('refuses a malformed engines range instead of passing everything', () => {
    expect(() => nodeVersionProblem('v24.0.0', '^22')).toThrow(/engines\.node/);
    // A patch level would be ignored, so it is refused rather than half-honoured.
    expect(() => nodeVersionProblem('v24.0.0', '>=22.12.3')).toThrow(/engines\.node/);
  });

  it('on an old Node prints exactly one line and exits 1; on ours prints nothing', () => {
    const old = runAs('v20.20.2');
    expect(old.status).toBe(1);
    expect(old.stdout).toBe('');
    expect(old.stderr.trimEnd().split('\n')).toEqual([
      'roost: this is Node v20.20.2; Roost needs Node 22.12 or newer. ' +
        'Install Node 24 (https://nodejs.org/) and run the command again.',
    ]);
    const current = runAs(process.version);
    expect([current.status, current.stdout, current.stderr]).toEqual([0, '', '']);
  });
});
