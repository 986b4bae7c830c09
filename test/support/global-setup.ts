import { ensureRendererBuilt } from '../../src-main/server/renderer-build.ts';

/** The browser tests need the built renderer: build it once when missing or stale, so `npm test` alone works. */
export default function setup(): void {
  ensureRendererBuilt((line) => process.stderr.write(`${line}\n`));
}
