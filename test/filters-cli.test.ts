import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;

/** The real CLI as a user runs it (bin/workbench.js through tsx), one process per command. */
function workbench(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/workbench.js', '--db', db, 'dataset', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('workbench dataset filter (CLI)', () => {
  it('previews a pipeline from flags or a file, names a bad file field, and applies as a version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-filter-cli-'));
    const db = join(dir, 'x.db');
    expect(workbench(db, 'import', TATOEBA, '--name', 't').code).toBe(0);

    const flags = workbench(db, 'filter', 't', '--script', '--max-ratio', '3', '--near-dedup', '--json');
    expect(flags.stderr).toBe('');
    const p = JSON.parse(flags.stdout);
    expect(p.pipeline.map((f: { kind: string }) => f.kind)).toEqual(['script', 'length_ratio', 'near_duplicate']);
    expect(p.total).toBe(209);
    expect(p.removed).toBeGreaterThan(0);
    expect(p.kept + p.removed).toBe(209);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ kind: 'script' }, { kind: 'length_ratio', maxRatio: 0.5 }]));
    const failed = workbench(db, 'filter', 't', '--pipeline', bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${bad}: 1.maxRatio:`);

    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify([{ kind: 'script' }, { kind: 'length_ratio', maxRatio: 3 }, { kind: 'near_duplicate' }]),
    );
    const applied = JSON.parse(
      workbench(db, 'filter', 't', '--pipeline', good, '--apply', '--label', 'clean', '--json').stdout,
    );
    expect(applied).toMatchObject({ label: 'clean', removed: p.removed, pairCount: p.kept });
    expect(applied.versionNumber).toBeGreaterThan(1);
    // the head lost the removed pairs; the same preview now removes none
    const again = JSON.parse(workbench(db, 'filter', 't', '--pipeline', good, '--json').stdout);
    expect(again).toMatchObject({ total: p.kept, removed: 0 });
  }, 180_000);
});
