import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rendererDir } from '../src-main/server/renderer-build.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { launchChromium } from './support/browser.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ dbPath: join(mkdtempSync(join(tmpdir(), 'wb-sec-')), 'x.db'), rendererDir });
});
afterAll(() => server.close());

function wsResult(url: string, origin: string): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('error', () => resolve('refused'));
  });
}

describe('browser-mode security', () => {
  it('HTTP needs the token', async () => {
    expect((await fetch(`${server.origin}/`)).status).toBe(401);
    expect((await fetch(`${server.origin}/?token=wrong-token`)).status).toBe(401);
    const ok = await fetch(server.url);
    expect(ok.status).toBe(200);
    const port = new URL(server.origin).port;
    expect(ok.headers.get('set-cookie')).toMatch(
      new RegExp(`^wb_token_${port}=${server.token}; HttpOnly; SameSite=Strict`),
    );
    const csp = ok.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port};`); // this server's socket, nothing else
    expect(ok.headers.get('x-frame-options')).toBe('DENY');
    // the cookie alone lets the page load its assets; another server's cookie (other port) does not
    expect((await fetch(`${server.origin}/`, { headers: { cookie: `wb_token_${port}=${server.token}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${server.origin}/`, { headers: { cookie: `wb_token_1=${server.token}x` } })).status).toBe(401);
  });

  it(
    'answers its page under 127.0.0.1 or localhost, refuses other ' +
      'Host names (DNS rebinding) and survives malformed paths',
    async () => {
      const port = new URL(server.origin).port;
      const get = (path: string, headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          request({ host: '127.0.0.1', port, path, headers }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
            .on('error', reject)
            .end();
        });
      const q = `/?token=${server.token}`;
      expect(await get(q, { host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
      expect(await get(q, { host: `evil.example:${port}` })).toBe(421);
      expect(await get(q, { host: `localhost:${port}`, origin: `http://evil.example:${port}` })).toBe(403);
      expect(await get(`/%E0%A4%A?token=${server.token}`, { host: `127.0.0.1:${port}` })).toBe(400);
      expect((await fetch(server.url)).status).toBe(200);
    },
  );

  it('sockets need the token and the page origin', async () => {
    const ws = `${server.origin.replace('http', 'ws')}/ws`;
    expect(await wsResult(`${ws}?token=${server.token}`, server.origin)).toBe('open');
    expect(await wsResult(ws, server.origin)).toBe('refused');
    expect(await wsResult(`${ws}?token=nope`, server.origin)).toBe('refused');
    expect(await wsResult(`${ws}?token=${server.token}`, 'http://evil.example')).toBe('refused');
  });

  it('a page on another origin cannot call the API, even knowing the token', async () => {
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>evil</title>');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(evilUrl);
      // As a string: the test file's own imports (ws's WebSocket) must not leak into the page.
      const outcome = (await page.evaluate(`(async () => {
        const origin = ${JSON.stringify(server.origin)};
        const token = ${JSON.stringify(server.token)};
        const viaWs = await new Promise((resolve) => {
          const ws = new WebSocket(origin.replace('http', 'ws') + '/ws?token=' + token);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        });
        const viaHttp = await fetch(origin + '/?token=' + token).then((r) => 'status ' + r.status, () => 'refused');
        return { viaWs, viaHttp };
      })()`)) as { viaWs: string; viaHttp: string };
      expect(outcome.viaWs).toBe('refused');
      expect(outcome.viaHttp).toBe('refused'); // 403 without CORS headers: the page cannot read anything
    } finally {
      await browser.close();
      evil.close();
    }
  });
});
