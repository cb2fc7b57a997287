import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'oxlint/plugins-dev';
import { describe, it } from 'vitest';
import { processBoundaries as rule } from './processBoundaries.mjs';

RuleTester.describe = describe;
RuleTester.it = it;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tester = new RuleTester({ cwd: REPO });
const at = (file: string) => path.join(REPO, file);

/** [name, file, code, what the message must say] */
const VIOLATIONS: Array<[string, string, string, RegExp]> = [
  [
    'shared: node: builtin',
    'shared/a.ts',
    "import { readFile } from 'node:fs';",
    /shared\/ is pure.*builtins.*'node:fs'/,
  ],
  ['shared: bare builtin', 'shared/a.ts', "import path from 'path';", /Node builtins.*'path'/],
  ['shared: builtin subpath', 'shared/a.ts', "import { readFile } from 'fs/promises';", /Node builtins/],
  ['shared: electron', 'shared/a.ts', "import { app } from 'electron';", /'electron'/],
  ['shared: Node-only package', 'shared/a.ts', "import { WebSocket } from 'ws';", /'ws'/],
  ['shared: main/', 'shared/protocol/a.ts', "import { Hub } from '../../main/hub/Hub';", /main\/.*main\/hub\/Hub/],
  ['shared: renderer/', 'shared/a.ts', "export * from '../renderer/App';", /renderer\//],
  ['hub: electron', 'main/hub/a.ts', "import { app } from 'electron';", /plain Node.*'electron'/],
  ['hub: electron subpath', 'main/hub/a.ts', "import { ipcMain } from 'electron/main';", /'electron'/],
  ['discovery: main/electron/', 'main/discovery/a.ts', "import { w } from '../electron/window';", /main\/electron\//],
  ['cli: main/electron/', 'main/cli/a.ts', "const w = await import('../electron/window');", /main\/electron\//],
  ['desktop: electron', 'main/desktop/a.ts', "import { app } from 'electron';", /main\/desktop are plain Node/],
  ['preload: node:', 'main/electron/preload.ts', "import { join } from 'node:path';", /preload runs sandboxed.*built/],
  ['preload: main/desktop/', 'main/electron/preload.ts', "import { x } from '../desktop/x';", /main\/desktop\//],
  ['main: renderer/', 'main/electron/a.ts', "import '../../renderer/main';", /main\/ runs in Node.*renderer\//],
  ['renderer: electron', 'renderer/a.tsx', "import { ipcRenderer } from 'electron';", /browser.*'electron'/],
  ['renderer: node:', 'renderer/a.ts', "import os from 'node:os';", /Node builtins/],
  ['renderer: crypto', 'renderer/a.ts', "const c = require('crypto');", /Node builtins.*'crypto'/],
  ['renderer: ws', 'renderer/a.ts', "import WebSocket from 'ws';", /'ws'/],
  ['renderer: bonjour-service', 'renderer/a.ts', "import { Bonjour } from 'bonjour-service';", /'bonjour-service'/],
  ['renderer: lowdb', 'renderer/a.ts', "import { JSONFilePreset } from 'lowdb/node';", /'lowdb'/],
  ['renderer: main/', 'renderer/a.ts', "import type { Hub } from '../main/hub/Hub';", /main\//],
  ['computed specifier', 'main/hub/a.ts', 'const name = "x";\nawait import(name);', /not a string literal/],
  ['preload: electron/main', 'main/electron/preload.ts', "import { app } from 'electron/main';", /other than/],
  ['preload: main/electron', 'main/electron/preload.ts', "import { x } from './ipc';", /outside shared/],
  ['preload: zod', 'main/electron/preload.ts', "import { z } from 'zod';", /other than 'electron'/],
  ['renderer: node_modules path', 'renderer/a.ts', "import W from '../node_modules/ws/index.js';", /'ws'|builtins/],
  ['renderer: created require', 'renderer/a.ts', "const ws = createRequire(import.meta.url)('ws');", /'ws'/],
  ['renderer: worker URL', 'renderer/a.ts', "new Worker(new URL('../main/hub/Hub.ts', import.meta.url));", /main\//],
  ['renderer: glob', 'renderer/a.ts', "const m = import.meta.glob('../main/**/*.ts');", /main\//],
  ['shared: types reference', 'shared/a.ts', '/// <reference types="node" />', /may not reference types "node"/],
  ['shared: lib reference', 'shared/a.ts', '/// <reference lib="dom" />', /may not reference lib "dom"/],
  ['renderer: node types', 'renderer/a.ts', '/// <reference types="node" />', /Node's types/],
  // Layers: lower never imports higher.
  [
    'util: protocol',
    'shared/util/a.ts',
    "import { LIMITS } from '../protocol/limits';",
    /bottom layer.*protocol\/limits/,
  ],
  ['protocol: bridge', 'shared/protocol/a.ts', "import { DESKTOP_ORIGIN } from '../desktop';", /bridge's contract/],
  ['sync: bridge', 'shared/sync/a.ts', "import type { Setup } from '../desktop/bridgeSchemas';", /shared\/desktop\//],
  [
    'hub: bridge',
    'main/hub/a.ts',
    "import type { ConnectedDevice } from '../../shared/desktop/bridgeSchemas';",
    /hub and main\/discovery sit below.*shared\/desktop\//,
  ],
  [
    'discovery: bridge',
    'main/discovery/a.ts',
    "export { x } from '../../shared/desktop';",
    /sit below.*shared\/desktop/,
  ],
  [
    'hub: main/desktop',
    'main/hub/a.ts',
    "import { H } from '../desktop/HostingService';",
    /sit below.*main\/desktop\//,
  ],
  ['discovery: main/cli', 'main/discovery/a.ts', "import { run } from '../cli/runHub';", /sit below.*main\/cli\//],
  ['desktop: main/cli', 'main/desktop/a.ts', "import { hubUrls } from '../cli/hubUrls';", /side by side.*main\/cli\//],
  ['cli: main/desktop', 'main/cli/a.ts', "import { D } from '../desktop/DesktopServices';", /side by side/],
  [
    'cli: scripts/',
    'main/cli/a.ts',
    "import { b } from '../../scripts/buildDesktop';",
    /not depend on its tools.*scripts/,
  ],
  ['shared: scripts/', 'shared/sync/a.ts', "import { b } from '../../scripts/x';", /not depend on its tools/],
  ['renderer: scripts/', 'renderer/a.ts', "import { b } from '../scripts/x';", /not depend on its tools/],
];

/** Every syntax that loads a module, each of which must be seen. */
const FORMS = [
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

const ALLOWED: Array<[string, string]> = [
  ['shared/protocol/a.ts', "import { z } from 'zod';\nimport { LIMITS } from './limits';\nexport * from '../x';"],
  [
    'main/hub/a.ts',
    "import { readFile } from 'node:fs/promises';\nimport { WebSocketServer } from 'ws';\n" +
      "import { LIMITS } from '../../shared/protocol';\nimport { x } from '../discovery/advertise';",
  ],
  [
    'main/electron/a.ts',
    "import { app } from 'electron';\nimport { Hub } from '../hub/Hub';\nimport p from 'node:path';",
  ],
  ['renderer/App.tsx', "import { LIMITS } from '../shared/protocol';\nexport const App = () => <div>{LIMITS.x}</div>;"],
  // Outside the checked folders nothing is restricted.
  ['scripts/tool.ts', "import { app } from 'electron';\nimport fs from 'node:fs';"],
  // A string that merely looks like an import is not one; a regex-based check would flag it.
  ['shared/b.ts', "export const hint = \"import fs from 'node:fs'\";\n// require('electron')"],
  // A sibling folder with a common prefix is not main/electron/.
  ['main/hub/c.ts', "import { x } from '../electronish/y';"],
  // The preload may use Electron's renderer modules and shared/.
  ['main/electron/preload.ts', "import { ipcRenderer } from 'electron';\nimport { b } from '../../shared/desktop';"],
  // require.resolve only names a path; a URL not relative to the module is not a load.
  ['main/cli/d.ts', "const dir = require.resolve('electron/package.json');\nnew URL('http://x/main/electron');"],
  // A triple-slash path reference in shared/ stays inside it; renderer/ may reference Vite's client types.
  ['renderer/vite-env.d.ts', '/// <reference types="vite/client" />'],
  // Higher layers import lower ones, and the tools import the app.
  ['shared/util/b.ts', "import { z } from 'zod';\nimport { describeSchemaError } from './schemaError';"],
  [
    'shared/desktop/a.ts',
    "import { ConnectedDeviceSchema } from '../hub/connectedDevice';\n" +
      "import { DESKTOP_ORIGIN } from '../protocol/urls';",
  ],
  ['shared/sync/a.ts', "import { SerialQueue } from '../util/SerialQueue';\nimport { LIMITS } from '../protocol';"],
  [
    'main/hub/d.ts',
    "import { DESKTOP_ORIGIN } from '../../shared/protocol';\nimport { q } from '../../shared/util/q';",
  ],
  [
    'main/desktop/b.ts',
    "import { Hub } from '../hub/Hub';\nimport { b } from '../../shared/desktop';\n" +
      "import { advertiseHub } from '../discovery/advertise';",
  ],
  ['main/electron/b.ts', "import { D } from '../desktop/DesktopServices';\nimport { b } from '../../shared/desktop';"],
  ['scripts/build.ts', "import { buildDesktop } from '../main/cli/desktopBuild';"],
];

tester.run('process-boundaries', rule, {
  valid: ALLOWED.map(([file, code]) => ({ name: `allowed in ${file}`, filename: at(file), code })),
  invalid: [
    ...VIOLATIONS.map(([name, file, code, message]) => ({
      name,
      filename: at(file),
      code: `// a leading line\n${code}\n`,
      // The offending import is on the snippet's last line, after the leading one.
      errors: [{ message, line: code.split('\n').length + 1 }],
    })),
    ...FORMS.map((code) => ({ name: code, filename: at('shared/a.ts'), code, errors: 1 })),
  ],
});
