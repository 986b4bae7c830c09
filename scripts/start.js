#!/usr/bin/env node
// One command to set up and start the workbench: `node scripts/start.js` (or `npm start`).
// 1. installs dependencies when node_modules is missing or older than the lockfile (npm ci; without
//    the Electron binary download, said in one line, when its site cannot be reached),
// 2. builds the app when the build is missing or older than the sources,
// 3. opens the Electron app, or, where Electron cannot run (no binary, no display), says so in one
//    line and starts browser mode (`workbench serve`) instead, printing the URL to open.
// Node built-ins only: this runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (line) => process.stderr.write(`workbench: ${line}\n`);
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const newest = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).reduce(
        (t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : mtime(join(dir, e.name))),
        0,
      )
    : 0;

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

// 1. dependencies
const stamp = join(root, 'node_modules', '.package-lock.json');
if (mtime(stamp) < mtime(join(root, 'package-lock.json'))) await installDependencies();

async function installDependencies() {
  const args = ['ci', '--no-audit', '--no-fund'];
  const withoutElectron = { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  const fallback = 'installing without it (the workbench will open in browser mode)';
  const fail = () => {
    say('installing dependencies failed: see the npm output above');
    process.exit(1);
  };
  // Electron's postinstall downloads its binary (from GitHub unless a mirror is set): where that
  // site cannot be reached, say so once and install without it, instead of after a failed npm ci.
  const site = electronDownloadSite();
  if (!process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !behindProxy() && !electronCached() && !(await reachable(site))) {
    say(`${new URL(site).host} cannot be reached, so the Electron binary cannot be downloaded: ${fallback}`);
    say('installing dependencies (npm ci)…');
    if (!run(npm, args, withoutElectron)) fail();
    return;
  }
  say('installing dependencies (npm ci)…');
  // Quiet until it is known why it failed: when only the Electron download did, npm's long error is noise before the retry.
  const first = spawnSync(npm, args, { cwd: root, encoding: 'utf8', env: process.env, maxBuffer: 1 << 28 });
  const output = `${first.stdout ?? ''}${first.stderr ?? ''}`;
  if (first.status === 0) {
    process.stderr.write(output);
    return;
  }
  if (!/node_modules[\\/]electron\s*$/m.test(output)) {
    process.stderr.write(output);
    fail();
  }
  say(`the Electron binary could not be downloaded; ${fallback}`);
  if (!run(npm, args, withoutElectron)) fail();
}

/** Where Electron's install script downloads from: a mirror when one is configured, else GitHub. */
function electronDownloadSite() {
  return (
    process.env.ELECTRON_MIRROR ||
    process.env.npm_config_electron_mirror ||
    'https://github.com/electron/electron/releases/'
  );
}

/** Behind a proxy Node's fetch (which ignores proxies) would call a reachable site unreachable: then only the quiet retry applies. */
function behindProxy() {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ELECTRON_GET_USE_PROXY'].some(
    (k) => process.env[k],
  );
}

/** Any HTTP answer (even 404) means reachable; a DNS or connection error, or no answer within 5 s, means not. */
async function reachable(url) {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

/** Electron's downloader takes a cached zip without the network (<cache>/<hash>/electron-v<version>-<platform>-<arch>.zip). */
function electronCached() {
  let version;
  try {
    version = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages['node_modules/electron']
      .version;
  } catch {
    return false;
  }
  const home = homedir();
  const cacheRoot =
    process.env.electron_config_cache ||
    (process.platform === 'darwin'
      ? join(home, 'Library', 'Caches', 'electron')
      : process.platform === 'win32'
        ? join(process.env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache')
        : join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'electron'));
  if (!existsSync(cacheRoot)) return false;
  const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  return readdirSync(cacheRoot, { withFileTypes: true }).some(
    (e) => e.isDirectory() && existsSync(join(cacheRoot, e.name, zip)),
  );
}

// 2. build
const built = mtime(join(root, 'out', 'main', 'index.js'));
if (built < Math.max(newest(join(root, 'src-main')), newest(join(root, 'src-renderer')))) {
  say('building the app (electron-vite build)…');
  // Quiet unless it fails: the build's own log (and the compiler's hints) would bury the one line that matters.
  const b = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    { cwd: root, encoding: 'utf8' },
  );
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
  const child = spawn(binary, [root, ...extra], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WORKBENCH_NODE: process.execPath },
  });
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
  const child = spawn(process.execPath, [join(root, 'bin', 'workbench.js'), ...global, 'serve', ...extra, ...open], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
