import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../src-main/server/renderer-build.ts';
import { connect, failure } from './support/ws-client.ts';

/**
 * A regular expression that backtracks for ever must not take browser mode
 * down: `workbench serve` as a real process (a frozen server would freeze the
 * test with it otherwise) answers the search with a typed error, keeps
 * answering other requests and new sockets meanwhile, and stops on SIGTERM.
 */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function serve(db: string): { child: ChildProcess; url: Promise<URL> } {
  const child = spawn(process.execPath, ['bin/workbench.js', '--db', db, 'serve', '--port', '0'], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const url = new Promise<URL>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open: (http:\/\/\S+)/.exec(out);
      if (m) resolve(new URL(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { child, url };
}

const timed = async <T>(p: Promise<T>): Promise<{ value: T; ms: number }> => {
  const t0 = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t0 };
};

describe('a catastrophic regular expression in pairs.list', () => {
  it(
    'is answered with a typed error in bounded time while the ' +
      'server answers everything else, and SIGTERM stops the server',
    async () => {
      const s = serve(join(mkdtempSync(join(tmpdir(), 'wb-regex-')), 'x.db'));
      const url = await s.url;
      const token = url.searchParams.get('token') ?? '';
      const api = await connect(url.origin, token);
      // Long lines of words without a "#": (\S+\s?)* tries every way to split them.
      const line = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
      const content = Array.from({ length: 50 }, (_, i) => `${line} ${i}\tनमस्ते ${i}`).join('\n') + '\n';
      await api.call('datasets.import', { name: 'long', fileName: 'long.tsv', content, jobId: 'j' });

      const search = timed(failure(api.call('pairs.list', { name: 'long', search: '^(\\S+\\s?)*#$', regex: true })));
      await new Promise((r) => setTimeout(r, 200)); // the search is under way
      const other = await connect(url.origin, token); // a new socket opens…
      const info = await timed(other.call('app.info', {})); // …and is answered at once
      expect(info.ms).toBeLessThan(1000);
      expect((await timed(api.call('datasets.list', {}))).ms).toBeLessThan(1000);
      const { value: err, ms } = await search;
      expect(err).toMatchObject({ code: 'bad_input', where: { field: 'search' } });
      expect(err.message).toMatch(/regular expression/);
      expect(ms).toBeLessThan(5000);
      // An ordinary regular expression still searches.
      expect(
        (await api.call('pairs.list', { name: 'long', search: 'word3[0-9] 4[0-9]$', regex: true, side: 'source' }))
          .total,
      ).toBe(10);

      // Stoppable while another hopeless search runs.
      void api.call('pairs.list', { name: 'long', search: '^(\\S+\\s?)*#$', regex: true }).catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      const t0 = performance.now();
      s.child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => s.child.on('exit', (c) => r(c)));
      expect(code).toBe(0);
      expect(performance.now() - t0).toBeLessThan(3000);
      api.close();
      other.close();
    },
    60_000,
  );
});
