#!/usr/bin/env node
// One command to set up and start the workbench: `node scripts/start.js` (or `npm start`).
// 1. installs dependencies when node_modules is missing or older than the lockfile (npm ci; retried
//    without the Electron binary download when GitHub cannot be reached),
// 2. builds the app when the build is missing or older than the sources,
// 3. opens the Electron app, or, where Electron cannot run (no binary, no display), says so in one
//    line and starts browser mode (`workbench serve`) instead, printing the URL to open.
// Node built-ins only: this runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (line) => process.stderr.write(`workbench: ${line}\n`);
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const newest = (dir) =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : mtime(join(dir, e.name))), 0) : 0;

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

// 1. dependencies
const stamp = join(root, 'node_modules', '.package-lock.json');
if (mtime(stamp) < mtime(join(root, 'package-lock.json'))) {
  say('installing dependencies (npm ci)…');
  if (!run(npm, ['ci', '--no-audit', '--no-fund'])) {
    say('npm ci failed; retrying without the Electron binary download (browser mode will be used)');
    if (!run(npm, ['ci', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })) {
      say('installing dependencies failed: see the npm output above');
      process.exit(1);
    }
  }
}

// 2. build
const built = mtime(join(root, 'out', 'main', 'index.js'));
if (built < Math.max(newest(join(root, 'src-main')), newest(join(root, 'src-renderer')))) {
  say('building the app (electron-vite build)…');
  // Quiet unless it fails: the build's own log (and the compiler's hints) would bury the one line that matters.
  const b = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) {
    process.stderr.write(`${b.stdout ?? ''}${b.stderr ?? ''}`);
    say('the build failed: see its output above');
    process.exit(1);
  }
}

// 3. Electron, or browser mode
function electronBinary() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
const extra = process.argv.slice(2);
const binary = electronBinary();
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (binary && !headless) {
  // WORKBENCH_NODE: the shell falls back to running the core under this Node when better-sqlite3 is not built for Electron.
  const child = spawn(binary, [root, ...extra], { cwd: root, stdio: 'inherit', env: { ...process.env, WORKBENCH_NODE: process.execPath } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  say(
    binary
      ? 'no display here, so the desktop window cannot open; starting browser mode instead'
      : 'the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no access to GitHub); starting browser mode instead',
  );
  // `npm start -- --db PATH --port P`: --db is the CLI's global option, the rest go to serve.
  const at = extra.findIndex((a) => a === '--db' || a.startsWith('--db='));
  const global = at < 0 ? [] : extra.splice(at, extra[at] === '--db' ? 2 : 1);
  // With a desktop but no Electron, open the page in the default browser.
  const open = headless || extra.includes('--open') ? [] : ['--open'];
  const child = spawn(process.execPath, [join(root, 'bin', 'workbench.js'), ...global, 'serve', ...extra, ...open], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
