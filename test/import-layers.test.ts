import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, importSpecifiers } from '../scripts/lib/import-graph.js';
import { layerViolation, projectRoot } from '../scripts/lib/layers.js';

const at = (file: string) => join(projectRoot, file);

describe('layers: imports go toward common', () => {
  it.each([
    ['src-main/core/runs/x.ts', '../../cli/main.ts', /core may not import src-main\/cli\/main\.ts/],
    ['src-main/core/x.ts', '../server/server.ts', /core may not import/],
    ['src-main/core/x.ts', '../../src-renderer/src/lib/api.ts', /core may not import/],
    ['src-main/common/x.ts', '../core/rng.ts', /common may not import/],
    ['src-main/common/x.ts', 'node:fs', /Node built-in 'node:fs'/],
    ['src-main/common/x.ts', 'path', /Node built-in 'path'/],
    ['src-renderer/src/lib/x.ts', '../../../src-main/core/rng.ts', /renderer may not import/],
    ['src-renderer/src/lib/x.ts', 'node:path', /Node built-in/],
    ['src-main/server/x.ts', '../electron/main.ts', /a door imports the core and common/],
    ['src-main/electron/x.ts', '../cli/main.ts', /a door imports the core and common/],
  ])('%s may not import %s', (file, specifier, why) => {
    expect(layerViolation(at(file), specifier)).toMatch(why);
  });

  it.each([
    ['src-main/common/x.ts', './errors.ts'],
    ['src-main/common/x.ts', 'zod'],
    ['src-main/core/x.ts', '../common/errors.ts'],
    ['src-main/core/x.ts', 'node:fs'],
    ['src-main/cli/x.ts', '../core/rng.ts'],
    ['src-main/cli/commands/serve.ts', '../../server/server.ts'],
    ['src-renderer/src/lib/x.ts', '@common/contract.ts'],
    ['src-renderer/src/lib/x.ts', '../../../src-main/common/series-math.ts'],
    ['test/x.test.ts', '../src-main/cli/main.ts'],
  ])('%s may import %s', (file, specifier) => {
    expect(layerViolation(at(file), specifier)).toBeNull();
  });

  it('eslint.config.js applies the rule to src-main and the renderer (.ts and .svelte)', async () => {
    const eslint = new ESLint({ cwd: projectRoot });
    const lint = async (text: string, file: string) =>
      (await eslint.lintText(text, { filePath: at(file) }))[0].messages.filter((m) => m.ruleId === 'layers/imports');
    expect(await lint("export { main } from '../../cli/main.ts';\n", 'src-main/core/runs/x.ts')).toHaveLength(1);
    expect(await lint("export const f = () => import('node:fs');\n", 'src-main/common/x.ts')).toHaveLength(1);
    const svelte = [
      '<script lang="ts">',
      "  import { openDb } from '../../../src-main/core/store/db.ts';",
      "  openDb(':memory:');",
      '</script>',
    ].join('\n');
    expect(await lint(svelte, 'src-renderer/src/views/X.svelte')).toHaveLength(1);
    expect(await lint("import { z } from 'zod';\nexport const s = z.string();\n", 'src-main/common/x.ts')).toEqual([]);
  }, 60_000);
});

describe('import loops', () => {
  it('finds a loop, once per tangle, and none in a tree', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(findCycles(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads imports, re-exports, type imports and dynamic imports, in .ts and in .svelte scripts', () => {
    const ts = "import type { A } from './a.ts';\nexport { b } from './b.ts';\nconst c = await import('./c.ts');\n";
    expect(importSpecifiers('x.ts', ts)).toEqual(['./a.ts', './b.ts', './c.ts']);
    const svelte = "<script lang=\"ts\">\n  import D from './D.svelte';\n</script>\n<p>import x from 'nothing'</p>\n";
    expect(importSpecifiers('X.svelte', svelte)).toEqual(['./D.svelte']);
  });

  it('the app has no import loop (src-main and the renderer)', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src-main/core/store/db.ts')).toContain('src-main/core/store/migrations.ts'); // edges resolve
    expect(findCycles(graph)).toEqual([]);
  });
});
