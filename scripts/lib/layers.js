import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which layer may import which (VS Code's rule: imports only go toward `common`).
 * `common` runs anywhere, the renderer included; the core is the app without a door;
 * the doors (CLI, browser-mode server, Electron shell) use the core; the renderer reaches
 * the rest only through the typed contract in `common`. Plain JS: eslint.config.js and
 * scripts/check-import-cycles.js load it without tsx.
 */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder (relative to the project root, `/`-separated) → layer name; the longest match wins. */
const LAYER_DIRS = {
  'src-main/common': 'common',
  'src-main/core': 'core',
  'src-main/cli': 'cli',
  'src-main/server': 'server',
  'src-main/electron': 'electron',
  'src-renderer': 'renderer',
};

/** Layer → the layers its files may import (its own included), and whether Node built-ins are allowed. */
const DOOR_RULE = 'a door imports the core and common, not another door';
export const LAYER_RULES = {
  common: { may: ['common'], nodeBuiltins: false, why: 'common runs in the renderer too: it imports only common' },
  core: {
    may: ['core', 'common'],
    nodeBuiltins: true,
    why: 'the core imports no door (cli, server, electron) and no renderer',
  },
  // `workbench serve` hosts the browser-mode server: the one door that starts another.
  cli: { may: ['cli', 'server', 'core', 'common'], nodeBuiltins: true, why: DOOR_RULE },
  server: { may: ['server', 'core', 'common'], nodeBuiltins: true, why: DOOR_RULE },
  electron: { may: ['electron', 'core', 'common'], nodeBuiltins: true, why: DOOR_RULE },
  renderer: {
    may: ['renderer', 'common'],
    nodeBuiltins: false,
    why: 'the renderer imports only common (the contract) and its own files',
  },
};

/** Import aliases the bundler resolves (electron.vite.config.ts, tsconfig.web.json `paths`). */
const ALIASES = { '@common/': 'src-main/common/' };

const toPosix = (p) => p.split(sep).join('/');

/** The layer of a file (absolute path), or undefined for files outside the layered tree (tests, bench, scripts). */
export function layerOf(file) {
  const rel = toPosix(relative(projectRoot, file));
  let best;
  for (const [dir, layer] of Object.entries(LAYER_DIRS)) {
    if ((rel === dir || rel.startsWith(`${dir}/`)) && (!best || dir.length > best.dir.length)) best = { dir, layer };
  }
  return best?.layer;
}

export function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
}

/**
 * The absolute path an import specifier points at inside the project (relative paths and aliases),
 * or undefined for a package. The path is not checked for existence.
 */
export function resolveSpecifier(fromFile, specifier) {
  for (const [alias, target] of Object.entries(ALIASES)) {
    if (specifier.startsWith(alias)) return join(projectRoot, target, specifier.slice(alias.length));
  }
  if (specifier.startsWith('./') || specifier.startsWith('../')) return resolve(dirname(fromFile), specifier);
  return undefined;
}

/** Why `fromFile` may not import `specifier` (one line), or null when the import respects the layers. */
export function layerViolation(fromFile, specifier) {
  const from = layerOf(fromFile);
  if (!from) return null;
  const rule = LAYER_RULES[from];
  const target = resolveSpecifier(fromFile, specifier);
  if (!target) {
    if (rule.nodeBuiltins || !isNodeBuiltin(specifier)) return null;
    return `${from} may not import the Node built-in '${specifier}': ${rule.why}`;
  }
  const to = layerOf(target);
  if (to && rule.may.includes(to)) return null;
  const where = toPosix(relative(projectRoot, target));
  return `${from} may not import ${where} (${to ?? 'outside the app'}): ${rule.why}`;
}
