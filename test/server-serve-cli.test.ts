import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../src-main/server/renderer-build.ts';
import { connect } from './support/ws-client.ts';

/**
 * `workbench serve` and `npm start` as real processes: what they print, that
 * the printed URL works, and that they stop cleanly. (The in-process tests
 * cover the API itself.)
 */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function launch(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const m = /open: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  url.catch(() => {}); // a launch expected to fail never prints a URL
  return { child, url, output: () => ({ out, err }) };
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('exit', (code) => r(code))));

describe('workbench serve (a real process)', () => {
  it('prints a loopback URL with a token that works, refuses without it, and stops on SIGTERM', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wb-serve-')), 'x.db');
    const s = launch(['bin/workbench.js', '--db', db, 'serve', '--port', '0']);
    const url = new URL(await s.url);
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.origin)).status).toBe(401);
    const api = await connect(url.origin, token);
    expect(await api.call('app.info', {})).toMatchObject({ door: 'browser', dbPath: db });
    api.close();
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
    expect(s.output().err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('explains a taken port in one line, without a stack trace', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wb-serve-')), 'x.db');
    const first = launch(['bin/workbench.js', '--db', db, 'serve', '--port', '0']);
    const port = new URL(await first.url).port;
    const second = launch(['bin/workbench.js', '--db', db, 'serve', '--port', port]);
    expect(await exited(second.child)).toBe(1);
    // (A "building the renderer" line may come first when the sources changed since the last build.)
    const err = second.output().err.trim();
    expect(err.split('\n').at(-1)).toBe(
      `workbench: port ${port} on 127.0.0.1 is in use (another workbench serve?): pick another with --port`,
    );
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a second serve while the default port is taken says why and serves on a free port', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wb-serve-')), 'x.db');
    const first = launch(['bin/workbench.js', '--db', db, 'serve', '--port', '8765']);
    const firstUrl = await first.url.catch(() => null); // (8765 may be held by another program already)
    const second = launch(['bin/workbench.js', '--db', db, 'serve']);
    expect(new URL(await second.url).port).not.toBe('8765');
    const err = second.output().err;
    if (firstUrl) {
      expect(err).toContain(
        'workbench: port 8765 already serves a workbench (its URL, with the access token, is in the ' +
          'terminal that started it: open that one, or stop it); this second one serves on a free port',
      );
    } else {
      expect(err).toMatch(/workbench: port 8765 (is in use by another program|already serves a workbench)/);
    }
  });
});

// npm start runs `npm ci` first when node_modules is older than the lockfile: never from a test.
const installed =
  statSync(join(projectRoot, 'node_modules', '.package-lock.json')).mtimeMs >=
  statSync(join(projectRoot, 'package-lock.json')).mtimeMs;
const noElectron = !existsSync(join(projectRoot, 'node_modules', 'electron', 'path.txt'));

describe.runIf(installed && noElectron)('npm start where Electron cannot run', () => {
  it('says so in one line and serves the browser mode instead, printing the URL', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wb-start-')), 'x.db');
    const s = launch(['scripts/start.js', '--db', db, '--port', '0'], { DISPLAY: '' });
    const url = await s.url;
    expect((await fetch(url)).status).toBe(200);
    const lines = s.output().err.trim().split('\n');
    expect(lines[0]).toBe(
      'workbench: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD ' +
        'or no access to GitHub); starting browser mode instead',
    );
    // Only a build notice may follow (when the sources changed since the last build), never a stack trace.
    expect(lines.slice(1).every((l) => /^(workbench: )?building the (renderer|app)/.test(l))).toBe(true);
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
  });
});
