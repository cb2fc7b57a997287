/**
 * Process-boundary check: each top-level folder is one runtime, and this script
 * rejects imports that would drag one runtime's code into another (the idea of
 * VS Code's `local/code-layering` rule, without needing ESLint).
 *
 *   shared/                      pure TypeScript: no Node, no Electron, no main/ or renderer/
 *   main/hub, discovery, cli,    plain Node: no Electron, nothing from main/electron/
 *   desktop                      (main/desktop holds the desktop app's logic, testable without Electron)
 *   main/electron/preload.ts     sandboxed preload: only 'electron' and shared/
 *   main/**                      never imports renderer/ (browser code)
 *   renderer/                    browser: no Node, no Electron, no Node-only packages, no main/
 *
 * DOM and Node *globals* in shared/ are not looked for here: `tsc -p tsconfig.shared.json`
 * (lib ES2023, no types) rejects them, so that config must keep compiling shared/ alone.
 *
 * Run: `tsx scripts/checkBoundaries.ts` prints `file:line: rule` per violation and exits 1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';

export type SourceFile = { /** Repo-relative, `/`-separated. */ path: string; source: string };
export type Violation = { file: string; line: number; rule: string };

/** Packages that only work in Node; the renderer and shared/ must reach them through the hub or IPC. */
const NODE_ONLY_PACKAGES = ['ws', 'bonjour-service', 'lowdb'];
const SOURCE_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const CHECKED_FOLDERS = ['shared', 'main', 'renderer'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out']);

/** What an import points at, once its specifier is classified. */
type Target =
  | { kind: 'builtin'; spec: string }
  | { kind: 'package'; spec: string; name: string }
  | { kind: 'repo'; spec: string; path: string }
  | { kind: 'outside'; spec: string }
  | { kind: 'computed' };

type Forbidden = { what: string; matches: (t: Target) => boolean };
type Rule = { label: string; appliesTo: (file: string) => boolean; forbids: Forbidden[] };

const under = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

const builtins: Forbidden = { what: 'Node builtins', matches: (t) => t.kind === 'builtin' };
const packages = (...names: string[]): Forbidden => ({
  what: names.map((n) => `'${n}'`).join(', '),
  matches: (t) => t.kind === 'package' && names.includes(t.name),
});
const folder = (dir: string): Forbidden => ({
  what: `${dir}/`,
  matches: (t) => t.kind === 'repo' && under(t.path, dir),
});

const RULES: Rule[] = [
  {
    label: 'shared/ is pure TypeScript',
    appliesTo: (f) => under(f, 'shared'),
    forbids: [builtins, packages('electron'), packages(...NODE_ONLY_PACKAGES), folder('main'), folder('renderer')],
  },
  {
    label: 'main/hub, main/discovery, main/cli and main/desktop are plain Node',
    appliesTo: (f) => ['main/hub', 'main/discovery', 'main/cli', 'main/desktop'].some((d) => under(f, d)),
    forbids: [packages('electron'), folder('main/electron')],
  },
  {
    // A sandboxed preload can require only a few Electron modules; everything else must be bundled from shared/.
    label: 'the preload runs sandboxed',
    appliesTo: (f) => /^main\/electron\/preload\.[cm]?ts$/.test(f),
    forbids: [
      builtins,
      packages(...NODE_ONLY_PACKAGES),
      folder('main/hub'),
      folder('main/discovery'),
      folder('main/desktop'),
      folder('main/cli'),
    ],
  },
  {
    label: 'main/ runs in Node',
    appliesTo: (f) => under(f, 'main'),
    forbids: [folder('renderer')],
  },
  {
    label: 'renderer/ runs in the browser',
    appliesTo: (f) => under(f, 'renderer'),
    forbids: [builtins, packages('electron'), packages(...NODE_ONLY_PACKAGES), folder('main')],
  },
];

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

function classify(spec: string, importer: string): Target {
  if (spec.startsWith('node:') || isBuiltin(spec)) return { kind: 'builtin', spec };
  if (!spec.startsWith('.') && !spec.startsWith('/')) return { kind: 'package', spec, name: packageName(spec) };
  const path = spec.startsWith('/') ? posix.normalize(spec.slice(1)) : posix.join(posix.dirname(importer), spec);
  if (path === '..' || path.startsWith('../')) return { kind: 'outside', spec };
  return { kind: 'repo', spec, path };
}

function describe(t: Target): string {
  if (t.kind === 'computed') return 'a computed specifier';
  if (t.kind === 'repo' && t.path !== t.spec) return `'${t.spec}' (${t.path})`;
  return `'${t.spec}'`;
}

type AstNode = { type: string; start: number; [key: string]: unknown };

const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';

/** A string literal or a template without substitutions; anything else cannot be followed statically. */
function literalText(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type !== 'TemplateLiteral') return undefined;
  const quasis = node.quasis as Array<{ value: { cooked: string | null } }>;
  return (node.expressions as unknown[]).length === 0 ? (quasis[0]?.value.cooked ?? undefined) : undefined;
}

/** The specifier node of anything that loads a module, or undefined for every other node. */
function moduleSource(node: AstNode): unknown {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration': // `source` is null for a plain `export { x }`
    case 'ImportExpression':
    case 'TSImportType': // `typeof import('x')`: type-only, but it still ties the runtimes' types together
      return node.source ?? undefined;
    case 'TSImportEqualsDeclaration': {
      const ref = node.moduleReference;
      return isNode(ref) && ref.type === 'TSExternalModuleReference' ? ref.expression : undefined;
    }
    case 'CallExpression': {
      const callee = node.callee;
      const isRequire = isNode(callee) && callee.type === 'Identifier' && callee.name === 'require';
      return isRequire ? ((node.arguments as unknown[])[0] ?? null) : undefined;
    }
    default:
      return undefined;
  }
}

type ModuleRef = { offset: number; spec: string | undefined };

function collectModuleRefs(root: unknown, refs: ModuleRef[] = []): ModuleRef[] {
  if (Array.isArray(root)) {
    for (const child of root) collectModuleRefs(child, refs);
    return refs;
  }
  if (!isNode(root)) return refs;
  const source = moduleSource(root);
  if (source !== undefined) refs.push({ offset: root.start, spec: literalText(source) });
  for (const value of Object.values(root)) {
    if (typeof value === 'object' && value !== null) collectModuleRefs(value, refs);
  }
  return refs;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' | 'dts' {
  if (/\.d\.[cm]?ts$/.test(path)) return 'dts';
  if (path.endsWith('.tsx')) return 'tsx';
  if (path.endsWith('.jsx')) return 'jsx';
  return /\.[cm]?ts$/.test(path) ? 'ts' : 'js';
}

function checkFile(file: SourceFile): Violation[] {
  const rules = RULES.filter((r) => r.appliesTo(file.path));
  if (rules.length === 0) return [];
  let ast: unknown;
  try {
    ast = parseAst(file.source, { lang: langOf(file.path) }, file.path);
  } catch (err) {
    // An unparsable file could hide anything, so it fails the check instead of passing silently.
    const first = String((err as Error).message)
      .split('\n')
      .slice(0, 2)
      .join(' ');
    return [{ file: file.path, line: 1, rule: `cannot parse, so its imports cannot be checked: ${first}` }];
  }
  const violations: Violation[] = [];
  for (const ref of collectModuleRefs(ast)) {
    const line = lineOf(file.source, ref.offset);
    if (ref.spec === undefined) {
      violations.push({
        file: file.path,
        line,
        rule: 'import specifier is not a string literal, so it cannot be checked',
      });
      continue;
    }
    const target = classify(ref.spec, file.path);
    for (const rule of rules) {
      const hit = rule.forbids.find((f) => f.matches(target));
      if (hit)
        violations.push({
          file: file.path,
          line,
          rule: `${rule.label}: may not import ${hit.what}, got ${describe(target)}`,
        });
    }
  }
  return violations;
}

/** Checks the given files (repo-relative paths) and returns every violation, in input order. */
export function checkBoundaries(files: readonly SourceFile[]): Violation[] {
  return files.flatMap(checkFile);
}

function listSources(root: string, dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch (err) {
    // A folder that does not exist yet (renderer/ early on) has nothing to check.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const entry of entries) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.'))
      listSources(root, path, out);
    if (entry.isFile() && SOURCE_EXTENSIONS.test(entry.name)) out.push(path);
  }
  return out;
}

/** Reads every source file under the checked folders of `root` and checks it. */
export function checkRepo(root: string): { filesChecked: number; violations: Violation[] } {
  const paths = CHECKED_FOLDERS.flatMap((d) => listSources(root, d)).sort();
  const files = paths.map((path) => ({ path, source: readFileSync(join(root, path), 'utf8') }));
  return { filesChecked: files.length, violations: checkBoundaries(files) };
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function main(): void {
  const { filesChecked, violations } = checkRepo(REPO_ROOT);
  for (const v of violations) console.log(`${v.file}:${v.line}: ${v.rule}`);
  if (violations.length > 0) {
    console.error(`checkBoundaries: ${violations.length} violation(s) in ${filesChecked} files`);
    process.exitCode = 1;
    return;
  }
  console.log(`checkBoundaries: OK, ${filesChecked} files checked`);
}

// Run only as a script, not when the test imports it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
