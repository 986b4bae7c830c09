import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureRendererBuilt, projectRoot } from '../../src-main/server/renderer-build.ts';

/**
 * The browser, server and Electron tests need the built app: build it once when missing or stale,
 * so `npm test` alone works. A run of chosen files that need none of it skips the build (on a
 * machine where the sources keep changing, it would otherwise rebuild, about a minute, before
 * every `npx vitest run test/ui-x.test.ts`).
 */
export default function setup(project: TestProject): void {
  const files = chosenFiles(project);
  if (files && !files.some(needsBuiltApp)) return;
  ensureRendererBuilt((line) => process.stderr.write(`${line}\n`));
}

/** What a test file that drives the built app mentions (a browser, a server, the CLI's serve, Electron, out/). */
const BUILT_APP = new RegExp(
  [
    'support/browser',
    'launchChromium',
    'startServer',
    'renderer-build',
    'rendererDir',
    'out/(main|renderer)',
    'scripts/start',
    'electron',
    "'serve'",
  ].join('|'),
);

export const needsBuiltApp = (file: string): boolean => BUILT_APP.test(readFileSync(file, 'utf8'));

/**
 * The test files the command line chose (vitest's filters are parts of their paths, optionally
 * with `:line`), or undefined for the whole suite, or when a filter matches no file (then build).
 */
function chosenFiles(project: TestProject): string[] | undefined {
  // Not in vitest's public types: the filters `vitest run a b` was started with.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!filters || filters.length === 0) return undefined;
  const all = readdirSync(join(projectRoot, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(projectRoot, 'test', f));
  const chosen = filters.map((raw) => {
    const filter = raw.replace(/:\d+$/, '');
    return all.filter((f) => f === resolve(filter) || relative(projectRoot, f).includes(filter.replace(/^\.\//, '')));
  });
  return chosen.some((c) => c.length === 0) ? undefined : chosen.flat();
}
