import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may use a browser-mode server: the page may be opened as 127.0.0.1, localhost or [::1] (an SSH
 * tunnel often says localhost); a request is same-origin when its Origin, if any, is this server
 * under the Host it asked for; Host must name this machine (unless bound to every interface), which
 * shuts out DNS-rebinding pages; and every request carries the token printed at start (in the URL,
 * then in an HttpOnly SameSite=Strict cookie).
 */
export interface Access {
  hostOk(req: IncomingMessage): boolean;
  sameOrigin(req: IncomingMessage): boolean;
  /** the token in the URL's query or the cookie */
  hasToken(req: IncomingMessage, url: URL): boolean;
  /** Cookies are shared by every port of a host: the name carries the port, so two servers never clobber each other's. */
  cookieName: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return null;
}

export function makeAccess(host: string, token: string): Access {
  const wildcard = host === '0.0.0.0' || host === '::';
  const access: Access = {
    hostOk: (req) => {
      const h = req.headers.host;
      if (!h) return false;
      const name = h.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
      return wildcard || name === host || LOOPBACK.has(name);
    },
    sameOrigin: (req) => !req.headers.origin || req.headers.origin === `http://${req.headers.host}`,
    hasToken: (req, url) =>
      sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req, access.cookieName), token),
    cookieName: 'wb_token',
  };
  return access;
}
