#!/usr/bin/env node
// Builds native/ (the OpenBLAS matmul addon) after `npm ci`. Never fails the install: without a
// compiler or BLAS the workbench uses the wasm backend as is (and says why in each run's record).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const candidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter((p) => p && existsSync(p));
if (candidates.length === 0) {
  console.warn('workbench: node-gyp not found; skipping the optional OpenBLAS addon (training uses plain wasm)');
  process.exit(0);
}
// Local Node headers (a distro's /usr/include/node, or npm's nodedir) avoid a headers download.
const nodedir = process.env.npm_config_nodedir || (existsSync('/usr/include/node/node_api.h') ? '/usr' : '');
const args = [
  candidates[0],
  'rebuild',
  '--directory',
  join(root, 'native'),
  ...(nodedir ? [`--nodedir=${nodedir}`] : []),
];
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (r.status !== 0)
  console.warn(
    `workbench: the optional OpenBLAS addon did not build (${(r.stderr || '').trim().split('\n').slice(-1)[0]}); training uses plain wasm`,
  );
