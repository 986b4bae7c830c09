import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src-main/server/renderer-build.ts';

/**
 * One default store for every door: the CLI (`npx workbench`, from any folder) and the app
 * (started from the checkout) both use the checkout's experiments.db, so the runs of the README's
 * "try it" are in the app. Before, the CLI used ./experiments.db of whatever folder it ran in.
 */
function resolvedFrom(cwd: string, args: string[] = [], env: Record<string, string> = {}): string {
  const loader = pathToFileURL(join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const db = pathToFileURL(join(projectRoot, 'src-main', 'core', 'store', 'db.ts')).href;
  const script =
    `const { resolveDbPath } = await import(${JSON.stringify(db)}); ` +
    `console.log(resolveDbPath(...${JSON.stringify(args)}));`;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'WORKBENCH_DB')) as Record<
    string,
    string
  >;
  return execFileSync(process.execPath, ['--import', loader, '--input-type=module', '-e', script], {
    cwd,
    env: { ...base, ...env },
    encoding: 'utf8',
  }).trim();
}

describe('the default store', () => {
  it("is the checkout's experiments.db whatever the working directory", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'wb-cwd-'));
    expect(resolvedFrom(elsewhere)).toBe(join(projectRoot, 'experiments.db'));
  });

  it('--db and WORKBENCH_DB still choose another, relative to the working directory', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'wb-cwd-'));
    expect(resolvedFrom(elsewhere, ['mine.db'])).toBe(join(elsewhere, 'mine.db'));
    expect(resolvedFrom(elsewhere, [], { WORKBENCH_DB: 'env.db' })).toBe(join(elsewhere, 'env.db'));
  });
});
