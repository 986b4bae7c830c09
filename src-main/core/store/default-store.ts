import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The store every door uses unless told otherwise: experiments.db in the workbench's own folder
 * (the checkout), whatever the working directory. The CLI (`npx workbench`, from anywhere, or
 * through `npm link`) and the app (started from the checkout) therefore show the same runs.
 */
export function defaultStorePath(): string {
  return join(workbenchRoot(), 'experiments.db');
}

/**
 * The nearest folder above this module whose package.json is the workbench's: found by walking up,
 * because this module runs at different depths (src-main/core/store in the sources, out/main/chunks
 * in the built app).
 */
function workbenchRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'seq2seq-workbench')
      return dir;
    // not inside the workbench's folder (a copied bundle): the old default
    if (dirname(dir) === dir) return process.cwd();
  }
}
