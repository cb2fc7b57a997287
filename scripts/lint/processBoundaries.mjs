// @ts-check
/**
 * Process boundaries: each top-level folder is one runtime, and no import may drag one runtime's
 * code into another (the idea of VS Code's `local/code-layering` rule).
 *
 *   shared/                      pure TypeScript: no Node, no Electron, no main/ or renderer/
 *   main/hub, discovery, cli,    plain Node: no Electron, nothing from main/electron/
 *   desktop                      (main/desktop holds the desktop app's logic, testable without Electron)
 *   main/electron/preload.ts     sandboxed preload: only 'electron' and shared/
 *   main/**                      never imports renderer/ (browser code)
 *   renderer/                    browser: no Node, no Electron, no Node-only packages, no main/
 *
 * and layers that point one way, lower never importing higher:
 *
 *   shared/util                  the bottom: imports nothing else from the repository
 *   shared/ but shared/desktop   never the desktop bridge's contract (it re-exports what it needs from them)
 *   main/hub, main/discovery     never the apps built on them: main/desktop, main/cli, shared/desktop
 *   main/desktop, main/cli       never each other (what both need lives in main/hub)
 *   main/, shared/, renderer/    never scripts/ (the repository's tools import the app, not the other way)
 *
 * DOM and Node *globals* in shared/ are not looked for here: `tsc -p tsconfig.shared.json`
 * (lib ES2023, no types) rejects them, so that config must keep compiling shared/ alone.
 *
 * Plain JavaScript, so that oxlint can load it as a JS plugin on every Node that package.json's
 * engines allows (type stripping of .ts files came later than 22.12).
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';

/** Packages that only work in Node; the renderer and shared/ must reach them through the hub or IPC. */
const NODE_ONLY_PACKAGES = ['ws', 'bonjour-service', 'lowdb'];

/**
 * @typedef {{ kind: 'builtin', spec: string }
 *   | { kind: 'package', spec: string, name: string }
 *   | { kind: 'repo', spec: string, path: string }
 *   | { kind: 'outside', spec: string }} Target
 * @typedef {{ what: string, matches: (t: Target) => boolean }} Forbidden
 * @typedef {{ label: string, appliesTo: (file: string) => boolean, forbids: Forbidden[] }} Rule
 */

/** @param {string} file @param {string} folder */
const under = (file, folder) => file === folder || file.startsWith(`${folder}/`);

/** @type {Forbidden} */
const builtins = { what: 'Node builtins', matches: (t) => t.kind === 'builtin' };
/** @param {...string} names @returns {Forbidden} */
const packages = (...names) => ({
  what: names.map((n) => `'${n}'`).join(', '),
  matches: (t) => t.kind === 'package' && names.includes(t.name),
});
/** @param {string} dir @returns {Forbidden} */
const folder = (dir) => ({ what: `${dir}/`, matches: (t) => t.kind === 'repo' && under(t.path, dir) });

/** @type {Rule[]} */
const RULES = [
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
      {
        what: "packages other than 'electron' or 'electron/renderer'",
        matches: (t) => t.kind === 'package' && t.spec !== 'electron' && t.spec !== 'electron/renderer',
      },
      { what: 'anything outside shared/', matches: (t) => t.kind === 'repo' && !under(t.path, 'shared') },
    ],
  },
  { label: 'main/ runs in Node', appliesTo: (f) => under(f, 'main'), forbids: [folder('renderer')] },
  {
    label: 'shared/util is the bottom layer',
    appliesTo: (f) => under(f, 'shared/util'),
    forbids: [
      { what: 'anything outside shared/util/', matches: (t) => t.kind === 'repo' && !under(t.path, 'shared/util') },
    ],
  },
  {
    label: "the desktop bridge's contract sits above the rest of shared/",
    appliesTo: (f) => under(f, 'shared') && !under(f, 'shared/desktop'),
    forbids: [folder('shared/desktop')],
  },
  {
    label: 'main/hub and main/discovery sit below the desktop app and the CLI',
    appliesTo: (f) => under(f, 'main/hub') || under(f, 'main/discovery'),
    forbids: [folder('main/desktop'), folder('main/cli'), folder('shared/desktop')],
  },
  {
    label: 'main/desktop and main/cli are two apps side by side',
    appliesTo: (f) => under(f, 'main/desktop'),
    forbids: [folder('main/cli')],
  },
  {
    label: 'main/desktop and main/cli are two apps side by side',
    appliesTo: (f) => under(f, 'main/cli'),
    forbids: [folder('main/desktop')],
  },
  {
    label: 'the app does not depend on its tools',
    appliesTo: (f) => ['main', 'shared', 'renderer'].some((d) => under(f, d)),
    forbids: [folder('scripts')],
  },
  {
    label: 'renderer/ runs in the browser',
    appliesTo: (f) => under(f, 'renderer'),
    forbids: [builtins, packages('electron'), packages(...NODE_ONLY_PACKAGES), folder('main')],
  },
];

/** @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** @param {string} spec @param {string} importer repo-relative, `/`-separated @returns {Target} */
function classify(spec, importer) {
  if (spec.startsWith('node:') || isBuiltin(spec)) return { kind: 'builtin', spec };
  if (!spec.startsWith('.') && !spec.startsWith('/')) return { kind: 'package', spec, name: packageName(spec) };
  // A path into node_modules is the package it names, however it is spelled.
  const inModules = /(?:^|\/)node_modules\/(.+)$/.exec(spec);
  if (inModules?.[1]) return { kind: 'package', spec, name: packageName(inModules[1]) };
  const target = spec.startsWith('/')
    ? path.posix.normalize(spec.slice(1))
    : path.posix.join(path.posix.dirname(importer), spec);
  if (target === '..' || target.startsWith('../')) return { kind: 'outside', spec };
  return { kind: 'repo', spec, path: target };
}

/** @param {Target} t */
function describe(t) {
  return t.kind === 'repo' && t.path !== t.spec ? `'${t.spec}' (${t.path})` : `'${t.spec}'`;
}

/**
 * What is wrong with `file` (repo-relative) loading `spec`, or undefined if nothing is;
 * `spec` is undefined for a computed specifier, which cannot be followed.
 * @param {string} file
 * @param {string | undefined} spec
 * @returns {string[]}
 */
export function boundaryViolations(file, spec) {
  const rules = RULES.filter((r) => r.appliesTo(file));
  if (rules.length === 0) return [];
  if (spec === undefined) return ['import specifier is not a string literal, so it cannot be checked'];
  const target = classify(spec, file);
  return rules.flatMap((rule) => {
    const hit = rule.forbids.find((f) => f.matches(target));
    return hit ? [`${rule.label}: may not import ${hit.what}, got ${describe(target)}`] : [];
  });
}

/** @typedef {{ type: string, [key: string]: any }} Node */

/** @param {Node | null | undefined} node */
const isImportMetaUrl = (node) =>
  node?.type === 'MemberExpression' && node.object?.type === 'MetaProperty' && node.property?.name === 'url';

/** `/// <reference types|lib|path="...">` pulls another runtime's types in as surely as an import. */
const TRIPLE_SLASH = /^\/\s*<reference\s+(types|lib|path)\s*=\s*["']([^"']+)["']/;

/**
 * What a triple-slash reference in `file` may not pull in: in shared/ any types or lib (its
 * tsconfig chooses none), in renderer/ Node's types.
 * @param {string} file @param {string} kind @param {string} value @returns {string | undefined}
 */
function referenceViolation(file, kind, value) {
  if (under(file, 'shared') && kind !== 'path')
    return `shared/ is pure TypeScript: may not reference ${kind} "${value}" (tsconfig.shared.json sets them)`;
  if (under(file, 'renderer') && kind === 'types' && value === 'node')
    return "renderer/ runs in the browser: may not reference Node's types";
  return undefined;
}

/** A string literal or a template without substitutions; anything else cannot be followed statically. */
/** @param {Node | null | undefined} node @returns {string | undefined} */
function literalText(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type !== 'TemplateLiteral' || node.expressions.length !== 0) return undefined;
  return node.quasis[0]?.value.cooked ?? undefined;
}

/** @type {Parameters<import('oxlint/plugins-dev').RuleTester['run']>[1]} */
const processBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each runtime (shared/, main/, renderer/, the preload) to the imports it can run' },
    schema: [],
  },
  create(context) {
    const file = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    if (!RULES.some((r) => r.appliesTo(file))) return {};
    /** @param {any} node @param {Node | null | undefined} source */
    const check = (node, source) => {
      for (const message of boundaryViolations(file, literalText(source))) context.report({ node, message });
    };
    /** @type {Record<string, (node: any) => void>} */
    const visitors = {
      ImportDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      // `source` is null for a plain `export { x }`.
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      // `typeof import('x')`: type-only, but it still ties the runtimes' types together.
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal ?? node.argument),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference?.type === 'TSExternalModuleReference' && check(node, node.moduleReference.expression),
      // require('x'), createRequire(url)('x') and import.meta.glob('x'). require.resolve('x') only
      // names a path (main/cli finds the electron package's folder that way), so it is not a load.
      CallExpression: (node) => {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isCreatedRequire = callee.type === 'CallExpression' && callee.callee?.name === 'createRequire';
        const isGlob = callee.type === 'MemberExpression' && callee.object?.type === 'MetaProperty';
        if (isRequire || isCreatedRequire || isGlob) check(node, node.arguments[0]);
      },
      // new URL('./worker.ts', import.meta.url): how bundlers and Node load workers and assets.
      NewExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'URL' &&
        isImportMetaUrl(node.arguments[1]) &&
        check(node, node.arguments[0]),
      Program: (node) => {
        for (const comment of context.sourceCode.getAllComments()) {
          const match = comment.type === 'Line' ? TRIPLE_SLASH.exec(comment.value) : null;
          const message = match && referenceViolation(file, match[1] ?? '', match[2] ?? '');
          if (message) context.report({ node, loc: comment.loc, message });
        }
      },
    };
    return visitors;
  },
};

export { processBoundaries };
