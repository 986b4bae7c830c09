import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src-main/server/renderer-build.ts';

/**
 * `node scripts/start.js` installing dependencies where Electron's binary cannot be downloaded
 * (no access to GitHub): one line saying so, then the install without it; never npm's long error
 * first. Run on a copy of start.js in an empty checkout with a stand-in `npm` on the PATH (a real
 * npm ci is minutes and needs the network), and a stand-in bin/workbench.js for browser mode.
 */
const FAKE_NPM = `#!/usr/bin/env node
const { appendFileSync } = require('node:fs');
const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1';
appendFileSync(process.env.FAKE_NPM_LOG, JSON.stringify({ args: process.argv.slice(2), skip }) + '\\n');
if (process.env.FAKE_NPM_FAIL === 'other') {
  console.error('npm error code ERESOLVE\\nnpm error could not resolve dependency tree');
  process.exit(1);
}
if (skip) {
  console.log('added 412 packages in 31s');
  process.exit(0);
}
console.error([
  'npm error code 1',
  'npm error path ' + process.cwd() + '/node_modules/electron',
  'npm error command failed',
  'npm error command sh -c node install.js',
  'npm error RequestError: getaddrinfo ENOTFOUND github.com',
  'npm error     at ClientRequest.<anonymous> (/x/node_modules/got/dist/source/core/index.js:970:111)',
].join('\\n'));
process.exit(1);
`;

function checkout(): { root: string; log: string; bin: string } {
  const root = mkdtempSync(join(tmpdir(), 'wb-start-install-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(projectRoot, 'scripts', 'start.js'), join(root, 'scripts', 'start.js'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({ packages: { 'node_modules/electron': { version: '40.8.5' } } }),
  );
  writeFileSync(join(root, 'bin', 'workbench.js'), 'console.log("browser mode:", process.argv.slice(2).join(" "));\n');
  // Outside the checkout: its package.json says "type": "module", which would make the stand-in ESM.
  const bin = mkdtempSync(join(tmpdir(), 'wb-fake-npm-'));
  writeFileSync(join(bin, 'npm'), FAKE_NPM);
  chmodSync(join(bin, 'npm'), 0o755);
  return { root, log: join(root, 'npm.log'), bin };
}

function start(
  env: Record<string, string>,
): Promise<{ code: number | null; err: string; calls: Array<{ skip: boolean }> }> {
  const c = checkout();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/proxy|ELECTRON/i.test(k))) as Record<
    string,
    string
  >;
  const child = spawn(process.execPath, [join(c.root, 'scripts', 'start.js')], {
    cwd: c.root,
    env: {
      ...base,
      PATH: `${c.bin}:${process.env.PATH}`,
      FAKE_NPM_LOG: c.log,
      XDG_CACHE_HOME: join(c.root, 'cache'),
      DISPLAY: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const log = existsSync(c.log) ? readFileSync(c.log, 'utf8').trim() : '';
      const calls = log ? log.split('\n').map((l) => JSON.parse(l) as { skip: boolean }) : [];
      resolve({ code, err, calls });
    }),
  );
}

describe('npm start installing where the Electron download cannot work', () => {
  it(
    'an unreachable download site is detected first: one ' + 'line, one npm ci without the download, no npm error',
    async () => {
      const r = await start({ ELECTRON_MIRROR: 'http://127.0.0.1:9/' }); // the discard port: connection refused
      expect(r.calls).toEqual([expect.objectContaining({ skip: true })]);
      expect(r.err).toContain(
        'workbench: 127.0.0.1:9 cannot be reached, so the Electron binary cannot be downloaded: installing without it',
      );
      expect(r.err).not.toContain('npm error');
      expect(r.code).toBe(0);
    },
  );

  it(
    'a download that fails anyway is retried without it ' + 'after one line; the failed attempt prints nothing',
    async () => {
      const server = createServer((_, res) => res.writeHead(404).end()).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const { port } = server.address() as { port: number };
      const r = await start({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
      server.close();
      expect(r.calls.map((c) => c.skip)).toEqual([false, true]);
      expect(r.err).not.toContain('npm error');
      expect(r.err).toContain(
        'workbench: the Electron binary could not be downloaded; ' +
          'installing without it (the workbench will open in browser mode)',
      );
      expect(r.code).toBe(0);
    },
  );

  it("any other install failure shows npm's output and stops", async () => {
    const r = await start({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1', FAKE_NPM_FAIL: 'other' });
    expect(r.err).toContain('npm error code ERESOLVE');
    expect(r.err).toContain('workbench: installing dependencies failed: see the npm output above');
    expect(r.code).toBe(1);
  });
});

describe('install scripts', () => {
  it('every dependency with an install script is declared in allowScripts (npm 11 warns about the others)', () => {
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !(name in (pkg.allowScripts ?? {})))).toEqual([]);
  });
});
