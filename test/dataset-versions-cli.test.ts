import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { command as datasetCommand } from '../src-main/cli/commands/dataset.ts';
import { command as runsCommand } from '../src-main/cli/commands/runs.ts';
import { CliContext } from '../src-main/cli/context.ts';
import { createVersion } from '../src-main/core/data/versions.ts';
import { getDataset } from '../src-main/core/store/datasets.ts';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;

/** The commands in this process (no tsx start per call): what they print, as the CLI prints it. */
function cli(dbPath: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  const ctx = new CliContext(dbPath, out, err, false);
  const text = (s: PassThrough) => String(s.read() ?? '');
  return {
    ctx,
    async run(cmd: typeof datasetCommand, ...args: string[]) {
      await cmd.run(args, ctx);
      return text(out);
    },
    async json(cmd: typeof datasetCommand, ...args: string[]) {
      return JSON.parse((await this.run(cmd, ...args, '--json')).trim().split('\n').at(-1) as string) as unknown;
    },
  };
}

describe('workbench dataset versions / diff / export --version, runs retrain (CLI)', () => {
  it('lists versions, diffs two, exports one as it was made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-versions-cli-'));
    const c = cli(join(dir, 'x.db'));
    await c.run(datasetCommand, 'import', TATOEBA, '--name', 'tat');
    const db = c.ctx.store();
    const ds = getDataset(db, 'tat');
    const first = db
      .prepare('SELECT id, source FROM pairs WHERE dataset_id = ? ORDER BY ord LIMIT 2')
      .all(ds.id) as Array<{ id: number; source: string }>;
    createVersion(db, ds.id, { label: 'drop two', recipe: { kind: 'filter' }, removePairIds: first.map((p) => p.id) });

    const listed = (await c.json(datasetCommand, 'versions', 'tat')) as {
      versions: Array<{ number: number; pairCount: number; recipe: { kind: string } }>;
    };
    expect(listed.versions.map((v) => [v.number, v.recipe.kind, v.pairCount])).toEqual([
      [1, 'import', 209],
      [2, 'filter', 207],
    ]);
    expect(await c.run(datasetCommand, 'versions', 'tat')).toMatch(/v2\s+207 pairs .* filter: drop two/);

    const diff = (await c.json(datasetCommand, 'diff', 'tat', '--from', '1', '--to', '2')) as {
      counts: object;
      rows: Array<{ pairId: number; kind: string }>;
    };
    expect(diff.counts).toEqual({ added: 0, removed: 2, changed: 0 });
    expect(diff.rows.map((r) => r.pairId)).toEqual(first.map((p) => p.id));
    expect(await c.run(datasetCommand, 'diff', 'tat', '--from', '1', '--to', '2')).toContain(
      'tat v1 -> v2: 0 added, 2 removed, 0 changed',
    );

    const out = join(dir, 'v1.jsonl');
    await c.run(datasetCommand, 'export', 'tat', out, '--version', '1');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(209);
    expect((JSON.parse(lines[0]) as { src: string }).src).toBe(first[0].source);
    await expect(c.run(datasetCommand, 'export', 'tat', join(dir, 'v9.tsv'), '--version', '9')).rejects.toThrow(
      /has no version 9/,
    );
    await expect(c.run(datasetCommand, 'diff', 'tat', '--from', '1')).rejects.toThrow(/--from N and --to M/);
    c.ctx.close();
  }, 60_000);

  it('runs retrain and data-diff name what is missing', async () => {
    const c = cli(join(mkdtempSync(join(tmpdir(), 'wb-retrain-cli-')), 'x.db'));
    await expect(c.run(runsCommand, 'retrain', '7')).rejects.toThrow(/run 7/);
    await expect(c.run(runsCommand, 'data-diff', '1')).rejects.toThrow(/two run ids/);
    c.ctx.close();
  });
});
