import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ensureRendererBuilt, rendererDir } from '../../server/renderer-build.ts';
import { WorkbenchError } from '../../common/errors.ts';
import { parseCommandArgs, requireInt, type Command } from '../context.ts';

const USAGE = `usage: workbench serve [--port P] [--host 127.0.0.1] [--open] [--read-only-link]

Serves the workbench UI and its API for a browser (the same handlers as the
desktop app). Loopback only by default; the printed URL carries the access
token that every request needs (a new one each start). --port 0 picks a free
port. --open opens the URL in the default browser. --read-only-link prints a
second URL, with its own token, whose page may look at everything but change
nothing (no launches, edits, imports or deletions).
Reach a remote box with: ssh -L 8765:127.0.0.1:8765 host, then open the URL here.`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Opens a URL with the desktop's handler; a missing opener is not an error (the URL is printed anyway). */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

/** What holds a taken port: a workbench answers a request without its token with a 401 naming `workbench serve`. */
async function portHolder(host: string, port: number): Promise<string> {
  const workbench = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/`, {
    signal: AbortSignal.timeout(1000),
  })
    .then(async (r) => r.status === 401 && (await r.text()).includes('workbench serve'))
    .catch(() => false);
  return workbench
    ? `port ${port} already serves a workbench (its URL, with the access token, is in the terminal ` +
        `that started it: open that one, or stop it); this second one serves on a free port`
    : `port ${port} is in use by another program; serving on a free port`;
}

export const command: Command = {
  summary: 'browser mode: serve the UI and API on a loopback port with an access token',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      {
        port: { type: 'string' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        'read-only-link': { type: 'boolean' },
      },
      USAGE,
    );
    const port = o.port === undefined ? 8765 : requireInt(o.port, 'port');
    ensureRendererBuilt((l) => ctx.stderr.write(`${l}\n`));
    // the server and the service (the store, every handler) load here: `workbench --help` lists serve without them
    const { startServer } = await import('../../server/server.ts');
    const readToken = o['read-only-link'] ? randomBytes(24).toString('base64url') : undefined;
    const start = (p: number) => startServer({ dbPath: ctx.dbPath, rendererDir, host: o.host, port: p, readToken });
    // The default port taken (a second workbench): any free one will do, the URL says which, and a line says why.
    const server = await start(port).catch(async (err: unknown) => {
      if (o.port === undefined && err instanceof WorkbenchError && err.code === 'conflict') {
        ctx.stderr.write(`workbench: ${await portHolder(o.host ?? '127.0.0.1', port)}\n`);
        return start(0);
      }
      throw err;
    });
    if (o.host && !LOOPBACK.has(o.host))
      ctx.stderr.write(
        `warning: listening on ${o.host}, not loopback: anyone who ` +
          `can reach it and has the URL's token can use the workbench\n`,
      );
    ctx.print(`Seq2Seq Workbench (browser mode) on ${server.origin}, store ${ctx.dbPath}`);
    ctx.print(`open: ${server.url}`);
    if (server.readOnlyUrl) ctx.print(`read-only: ${server.readOnlyUrl}`);
    if (o.open) openInBrowser(server.url);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
