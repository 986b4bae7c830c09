import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { projectRoot, resolveSpecifier } from './layers.js';

/**
 * The project's own import graph (file → files it imports, type-only imports included: a loop
 * of types is still two modules that cannot be read apart), and the loops in it. TypeScript's
 * own pre-processor finds the imports, so comments and strings are never mistaken for one.
 */

const SOURCE = /\.(ts|svelte)$/;
const SVELTE_SCRIPT = /<script\b[^>]*>([\s\S]*?)<\/script>/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The import specifiers of one file's text (.svelte: of its <script> blocks). */
export function importSpecifiers(file, text) {
  const code = file.endsWith('.svelte') ? [...text.matchAll(SVELTE_SCRIPT)].map((m) => m[1]).join('\n') : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

/** The file a specifier names, as the bundler finds it (`.ts` may be left off), or undefined if none. */
function resolveFile(fromFile, specifier) {
  const target = resolveSpecifier(fromFile, specifier);
  if (!target) return undefined;
  return [target, `${target}.ts`, target.replace(/\.js$/, '.ts'), join(target, 'index.ts')].find(
    (p) => existsSync(p) && statSync(p).isFile(),
  );
}

/** file (relative to the project root, `/`-separated) → the project files it imports. */
export function importGraph(dirs = ['src-main', 'src-renderer/src'], root = projectRoot) {
  const rel = (p) => relative(root, p).split(sep).join('/');
  const graph = new Map();
  for (const file of dirs.flatMap((d) => sourceFiles(join(root, d)))) {
    const targets = importSpecifiers(file, readFileSync(file, 'utf8'))
      .map((s) => resolveFile(file, s))
      .filter((p) => p !== undefined);
    graph.set(rel(file), [...new Set(targets.map(rel))]);
  }
  return graph;
}

/**
 * Every import loop: one cycle (first file repeated at the end) per strongly connected group of
 * files (Tarjan), so a tangle of many files is reported once, by one of its loops.
 */
export function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const group = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups.map((group) => loopThrough(graph, new Set(group), group.sort()[0]));
}

/** The shortest loop from `start` back to itself inside one group (breadth first). */
function loopThrough(graph, group, start) {
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!group.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = cameFrom.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
