import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ChannelAccess } from '../common/channel-access.ts';

/**
 * Who may use a browser-mode server: the page may be opened as 127.0.0.1, localhost or [::1] (an SSH
 * tunnel often says localhost); a request is same-origin when its Origin, if any, is this server
 * under the Host it asked for; Host must name this machine (unless bound to every interface), which
 * shuts out DNS-rebinding pages; and every request carries the token printed at start (in the URL,
 * then in an HttpOnly SameSite=Strict cookie). A second, read-only token (workbench serve --read-only-link)
 * opens the same page for someone who may look but not change anything: its socket answers `read`
 * channels only (common/channel-access.ts).
 */
export interface Access {
  hostOk(req: IncomingMessage): boolean;
  sameOrigin(req: IncomingMessage): boolean;
  /** the token in the URL's query or the cookie (either token) */
  hasToken(req: IncomingMessage, url: URL): boolean;
  /**
   * What the request's token allows: `write` (the full token: every channel), `read` (the read-only
   * token), or null (no valid token). The URL's token counts before the cookie's.
   */
  grant(req: IncomingMessage, url: URL): ChannelAccess | null;
  /** the token that grants `access` (the cookie a page opened with it keeps) */
  tokenFor(access: ChannelAccess): string;
  /**
   * Cookies are shared by every port of a host: the name carries the port, so two servers never clobber each other's.
   */
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

export function makeAccess(host: string, token: string, readToken?: string): Access {
  const wildcard = host === '0.0.0.0' || host === '::';
  const grantOf = (given: string | null): ChannelAccess | null => {
    if (sameToken(given, token)) return 'write';
    if (readToken !== undefined && sameToken(given, readToken)) return 'read';
    return null;
  };
  const access: Access = {
    hostOk: (req) => {
      const h = req.headers.host;
      if (!h) return false;
      const name = h.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
      return wildcard || name === host || LOOPBACK.has(name);
    },
    sameOrigin: (req) => !req.headers.origin || req.headers.origin === `http://${req.headers.host}`,
    hasToken: (req, url) => access.grant(req, url) !== null,
    grant: (req, url) => grantOf(url.searchParams.get('token')) ?? grantOf(cookieToken(req, access.cookieName)),
    tokenFor: (granted) => (granted === 'write' || readToken === undefined ? token : readToken),
    cookieName: 'wb_token',
  };
  return access;
}
