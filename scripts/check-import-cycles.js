#!/usr/bin/env node
import { findCycles, importGraph } from './lib/import-graph.js';

/**
 * `npm run lint` step: fails when the app's modules import each other in a loop (src-main and the
 * renderer; tests, bench and scripts are leaves). A loop means neither module can be read, tested
 * or moved without the other; break it by moving the shared piece toward `common` or the core.
 */
const graph = importGraph();
const cycles = findCycles(graph);
if (cycles.length === 0) {
  console.log(`import graph: ${graph.size} files, no import loop`);
} else {
  console.error(`import graph: ${cycles.length} import loop${cycles.length === 1 ? '' : 's'}:`);
  for (const c of cycles) console.error(`  ${c.join(' → ')}`);
  process.exitCode = 1;
}
