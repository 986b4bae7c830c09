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

describe('workbench dataset (CLI)', () => {
  it(
    'imports Tatoeba (a 209-pair sample with every finding of the full file), reports ' +
      'stats and findings as JSON, and fails a bad file with FILE:LINE on stderr',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'wb-cli-'));
      const db = join(dir, 'x.db');
      expect(workbench(db, 'import', TATOEBA, '--name', 'tatoeba').code).toBe(0);
      const stats = JSON.parse(workbench(db, 'stats', 'tatoeba', '--json').stdout);
      expect(stats).toMatchObject({ pairs: 209 });
      expect(stats.srcVocab).toBeGreaterThan(500);
      expect(stats.tgtLength.max).toBeGreaterThanOrEqual(stats.tgtLength.median);
      const { findings } = JSON.parse(workbench(db, 'validate', 'tatoeba', '--json').stdout) as {
        findings: Array<{ kind: string; message: string }>;
      };
      expect(findings.filter((f) => f.kind === 'latin_danda' && f.message.includes('"I"'))).toHaveLength(5);
      expect(findings.filter((f) => f.kind === 'zero_width' && f.message.includes('U+200D'))).toHaveLength(1);

      const bad = join(dir, 'bad.tsv');
      writeFileSync(bad, 'hello\tनमस्ते\nno tab\nthanks\tधन्यवाद\n');
      const failed = workbench(db, 'import', bad, '--name', 'bad');
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain(`${bad}:2: expected at least 2 tab-separated fields`);
      expect(failed.stdout).toBe('');
      expect(JSON.parse(workbench(db, 'list', '--json').stdout).datasets.map((d: { name: string }) => d.name)).toEqual([
        'tatoeba',
      ]);
    },
    60_000,
  );
});
