import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer (out/renderer). `workbench serve` and the test suite
 * build it when it is missing or older than its sources, so neither needs a
 * manual build step after `npm ci`.
 */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDir = join(projectRoot, 'out', 'renderer');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const builtAt = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/**
 * The renderer is older than its sources, or the main bundle than src-main (the same test as
 * scripts/start.js, so `npm start` never rebuilds under a test run that has just built).
 */
export function rendererIsStale(): boolean {
  const renderer = builtAt(join(rendererDir, 'index.html'));
  const main = builtAt(join(projectRoot, 'out', 'main', 'index.js'));
  return (
    renderer === 0 ||
    main === 0 ||
    [join(projectRoot, 'src-renderer'), join(projectRoot, 'src-main', 'common')].some((d) => newest(d) > renderer) ||
    Math.max(newest(join(projectRoot, 'src-main')), newest(join(projectRoot, 'src-renderer'))) > main
  );
}

export function ensureRendererBuilt(log: (line: string) => void = () => {}): void {
  if (!rendererIsStale()) return;
  log('building the renderer (electron-vite build)…');
  const bin = join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  // Quiet unless it fails (compiler hints are for developers, not for someone starting the app).
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: projectRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
}
