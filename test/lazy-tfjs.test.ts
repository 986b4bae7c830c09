import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { projectRoot } from '../src-main/server/renderer-build.ts';

/**
 * tfjs and the model code load on first use: importing the service (the app's start, every test that builds
 * one), the server and any CLI command (`workbench --help` imports them all, `runs list` one) loads none of
 * it. A fresh Node process imports the modules through tsx, as bin/workbench.js does, and counts the tfjs
 * files in require.cache (tfjs is CommonJS, so every file of it loaded is there); then it imports the
 * backend module, which does load tfjs, so the count is seen to move.
 */
const exec = promisify(execFile);

const PROBE = `
import { createRequire } from 'node:module';
const { register: cjs } = await import('tsx/cjs/api');
const { register: esm } = await import('tsx/esm/api');
cjs();
esm();
const require = createRequire(import.meta.url);
const tfjsFiles = () => Object.keys(require.cache).filter((p) => p.includes('@tensorflow')).length;
const load = (f) => import(new URL(f, 'file://' + process.cwd() + '/').href);
const [lazy, eager] = JSON.parse(process.argv[1]);
for (const f of lazy) await load(f);
const before = tfjsFiles();
await load(eager);
console.log(JSON.stringify({ before, after: tfjsFiles() }));
`;

const CLI_COMMANDS = readdirSync(`${projectRoot}/src-main/cli/commands`)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src-main/cli/commands/${f}`);

const LAZY = [
  'src-main/core/service/service.ts',
  'src-main/server/server.ts',
  'src-main/electron/desktop-core.ts',
  'src-main/cli/main.ts',
  ...CLI_COMMANDS,
];

it('importing the service, the server and every CLI command loads no tfjs', async () => {
  const args = ['--input-type=module', '-e', PROBE, JSON.stringify([LAZY, 'src-main/core/tf/backend.ts'])];
  const { stdout } = await exec(process.execPath, args, { cwd: projectRoot });
  const { before, after } = JSON.parse(stdout) as { before: number; after: number };
  expect(CLI_COMMANDS.length).toBeGreaterThan(10);
  expect(before).toBe(0);
  expect(after).toBeGreaterThan(0);
}, 60_000);
