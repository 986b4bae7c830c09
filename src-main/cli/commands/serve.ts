import { ensureRendererBuilt, rendererDir } from '../../server/renderer-build.ts';
import { startServer } from '../../server/server.ts';
import { parseCommandArgs, requireInt, type Command } from '../context.ts';

const USAGE = `usage: workbench serve [--port P] [--host 127.0.0.1]

Serves the workbench UI and its API for a browser (the same handlers as the
desktop app). Loopback only by default; the printed URL carries the access
token that every request needs. Reach a remote box with: ssh -L P:127.0.0.1:P host`;

export const command: Command = {
  summary: 'browser mode: serve the UI and API on a loopback port with an access token',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string' } }, USAGE);
    ensureRendererBuilt((l) => ctx.stderr.write(`${l}\n`));
    const server = await startServer({ dbPath: ctx.dbPath, rendererDir, host: o.host, port: o.port ? requireInt(o.port, 'port') : 8765 });
    ctx.print(`Seq2Seq Workbench (browser mode) on ${server.origin}, store ${ctx.dbPath}`);
    ctx.print(`open: ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
