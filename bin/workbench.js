#!/usr/bin/env node
// The CLI door. Runs the TypeScript sources through tsx so that `npx workbench`
// works right after `npm ci`, with no build step. Both loaders are registered:
// tfjs-core's gradient modules are ESM files that Node reaches through require.
import { register as registerCjs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCjs();
registerEsm();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
