import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Access } from './access.ts';

/** The built renderer over HTTP: GET/HEAD of its files, with the headers that keep the page to itself. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The page may talk to this server's socket only (the Host was checked before this is built). */
const csp = (host: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
  `font-src 'self' data:; connect-src 'self' ws://${host}; object-src 'none'; base-uri 'none'; ` +
  `form-action 'none'; frame-ancestors 'none'`;

export function refuse(res: ServerResponse, code: number, why: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(why);
}

/** Answers one HTTP request: refused unless it passes `access`, else a file of `root` (index.html for routes). */
export function serveRenderer(root: string, access: Access, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!access.hostOk(req)) return refuse(res, 421, 'unexpected Host header');
    if (!access.sameOrigin(req)) return refuse(res, 403, 'cross-origin requests are refused');
    const url = URL.parse(req.url ?? '/', origin());
    if (!url) return refuse(res, 400, 'malformed URL');
    const granted = access.grant(req, url);
    if (!granted) return refuse(res, 401, 'missing or wrong token: open the URL printed by "workbench serve"');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return refuse(res, 400, 'malformed path');
    }
    let path = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
    if (path === '/' || !extname(path)) path = '/index.html';
    const file = join(root, path);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile())
      return refuse(res, 404, 'not found');
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': csp(req.headers.host ?? ''),
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    };
    // The token the page was opened with: a read-only link never leaves the full token in the cookie.
    if (url.searchParams.get('token'))
      headers['set-cookie'] = `${access.cookieName}=${access.tokenFor(granted)}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  };
}
