import { describe, expect, it } from 'vitest';
import { checkBoundaries, checkRepo, REPO_ROOT } from './checkBoundaries';

const check = (path: string, source: string) => checkBoundaries([{ path, source }]);

describe('checkBoundaries: one violating snippet per rule', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'shared: node: builtin',
      'shared/a.ts',
      "import { readFile } from 'node:fs';",
      /shared\/ is pure.*Node builtins.*'node:fs'/,
    ],
    ['shared: bare builtin', 'shared/a.ts', "import path from 'path';", /Node builtins.*'path'/],
    ['shared: builtin subpath', 'shared/a.ts', "import { readFile } from 'fs/promises';", /Node builtins/],
    ['shared: electron', 'shared/a.ts', "import { app } from 'electron';", /'electron'/],
    ['shared: Node-only package', 'shared/a.ts', "import { WebSocket } from 'ws';", /'ws'/],
    ['shared: main/', 'shared/protocol/a.ts', "import { Hub } from '../../main/hub/Hub';", /main\/.*main\/hub\/Hub/],
    ['shared: renderer/', 'shared/a.ts', "export * from '../renderer/App';", /renderer\//],
    ['hub: electron', 'main/hub/a.ts', "import { app } from 'electron';", /plain Node.*'electron'/],
    ['hub: electron subpath', 'main/hub/a.ts', "import { ipcMain } from 'electron/main';", /'electron'/],
    [
      'discovery: main/electron/',
      'main/discovery/a.ts',
      "import { win } from '../electron/window';",
      /main\/electron\//,
    ],
    ['cli: main/electron/', 'main/cli/a.ts', "const w = await import('../electron/window');", /main\/electron\//],
    [
      'desktop: electron',
      'main/desktop/a.ts',
      "import { app } from 'electron';",
      /main\/desktop are plain Node.*'electron'/,
    ],
    [
      'preload: node:',
      'main/electron/preload.ts',
      "import { join } from 'node:path';",
      /preload runs sandboxed.*Node builtins/,
    ],
    [
      'preload: main/desktop/',
      'main/electron/preload.ts',
      "import { x } from '../desktop/x';",
      /preload runs sandboxed.*main\/desktop\//,
    ],
    ['main: renderer/', 'main/electron/a.ts', "import '../../renderer/main';", /main\/ runs in Node.*renderer\//],
    ['renderer: electron', 'renderer/a.tsx', "import { ipcRenderer } from 'electron';", /browser.*'electron'/],
    ['renderer: node:', 'renderer/a.ts', "import os from 'node:os';", /Node builtins/],
    ['renderer: crypto', 'renderer/a.ts', "const c = require('crypto');", /Node builtins.*'crypto'/],
    ['renderer: ws', 'renderer/a.ts', "import WebSocket from 'ws';", /'ws'/],
    ['renderer: bonjour-service', 'renderer/a.ts', "import { Bonjour } from 'bonjour-service';", /'bonjour-service'/],
    ['renderer: lowdb', 'renderer/a.ts', "import { JSONFilePreset } from 'lowdb/node';", /'lowdb'/],
    ['renderer: main/', 'renderer/a.ts', "import type { Hub } from '../main/hub/Hub';", /main\//],
  ];

  for (const [name, path, source, rule] of cases) {
    it(name, () => {
      const violations = check(path, `// a leading line\n${source}\n`);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatchObject({ file: path, line: 2 });
      expect(violations[0]?.rule).toMatch(rule);
    });
  }
});

describe('checkBoundaries: every way of loading a module is seen', () => {
  const forms = [
    "import fs from 'node:fs';",
    "import type { Stats } from 'node:fs';",
    "import 'node:fs';",
    "export { readFile } from 'node:fs';",
    "export * as fs from 'node:fs';",
    "const fs = await import('node:fs');",
    'const fs = await import(`node:fs`);',
    "const fs = require('node:fs');",
    "type Fs = typeof import('node:fs');",
    "import fs = require('node:fs');",
    "function later() { return () => import('node:fs'); }",
  ];
  for (const source of forms) {
    it(source, () => {
      expect(check('shared/a.ts', source)).toHaveLength(1);
    });
  }

  it('reports the line of each import, counting UTF-16 offsets after non-ASCII text', () => {
    const source =
      "// héllo wörld ✓\nimport { z } from 'zod';\n\nimport fs from 'node:fs';\nconst ws = require('ws');\n";
    expect(check('shared/a.ts', source).map((v) => v.line)).toEqual([4, 5]);
  });

  it('rejects computed specifiers, which it cannot follow', () => {
    const [v] = check('main/hub/a.ts', 'const name = "x";\nawait import(name);');
    expect(v).toMatchObject({ line: 2, rule: expect.stringMatching(/not a string literal/) });
  });

  it('fails a file it cannot parse instead of passing it', () => {
    const [v] = check('shared/a.ts', 'import {');
    expect(v?.rule).toMatch(/cannot parse/);
  });
});

describe('checkBoundaries: clean code passes', () => {
  it('allows what each runtime may use', () => {
    const files = [
      {
        path: 'shared/protocol/a.ts',
        source: "import { z } from 'zod';\nimport { LIMITS } from './limits';\nexport * from '../appVersion';",
      },
      {
        path: 'main/hub/a.ts',
        source:
          "import { readFile } from 'node:fs/promises';\nimport { WebSocketServer } from 'ws';\nimport { LIMITS } from '../../shared/protocol';\nimport { x } from '../discovery/advertise';",
      },
      {
        path: 'main/electron/a.ts',
        source: "import { app } from 'electron';\nimport { Hub } from '../hub/Hub';\nimport path from 'node:path';",
      },
      {
        path: 'renderer/App.tsx',
        source:
          "import { useState } from 'react';\nimport { LIMITS } from '../shared/protocol';\nexport const App = () => <div>{LIMITS.maxTextLength}</div>;",
      },
      // Outside the checked folders nothing is restricted.
      { path: 'scripts/tool.ts', source: "import { app } from 'electron';\nimport fs from 'node:fs';" },
      // A string that merely looks like an import is not one; a regex-based check would flag it.
      { path: 'shared/b.ts', source: "export const hint = \"import fs from 'node:fs'\";\n// require('electron')" },
    ];
    expect(checkBoundaries(files)).toEqual([]);
  });

  it('does not mistake a sibling folder with a common prefix for main/electron/', () => {
    expect(check('main/hub/a.ts', "import { x } from '../electronish/y';")).toEqual([]);
  });
});

describe('checkBoundaries on this repository', () => {
  it('finds no violations', () => {
    const { filesChecked, violations } = checkRepo(REPO_ROOT);
    expect(violations).toEqual([]);
    expect(filesChecked).toBeGreaterThan(0);
  });
});
