#!/usr/bin/env node
// The CLI door. Runs the TypeScript sources through tsx so that `npx workbench`
// works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
