import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bleuVector } from './support/bleu-vectors.ts';

/**
 * `workbench score` through the real CLI on files, checked against sacreBLEU's numbers in ../shared/bleu-vectors.json.
 */

const dir = mkdtempSync(join(tmpdir(), 'wb-score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};
const bin = new URL('../bin/workbench.js', import.meta.url).pathname;
const workbench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'unused.db'), 'score', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('workbench score', () => {
  const hi = bleuVector('hi-medium-13a');
  const hyp = file('hi.hyp', hi.hyps);
  const ref = file('hi.ref', hi.refs[0]);

  it('--json gives sacreBLEU BLEU and chrF with their signatures', () => {
    const r = workbench('--hyp', hyp, '--ref', ref, '--tokenize', '13a', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bleu.score).toBeCloseTo(hi.bleu, 4);
    expect(out.bleu.counts).toEqual(hi.bleu_counts);
    expect(out.bleu.totals).toEqual(hi.bleu_totals);
    expect([out.bleu.sys_len, out.bleu.ref_len]).toEqual([hi.sys_len, hi.ref_len]);
    expect(out.bleu.signature).toMatch(/^nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:2\.\d+\.\d+$/);
    expect(out.chrf.score).toBeCloseTo(hi.chrf, 4);
    expect(out.chrf.signature).toMatch(/^nrefs:1\|case:mixed\|eff:yes\|nc:6\|nw:0\|space:no\|version:/);
  });

  it('defaults to the intl tokenizer, which splits the danda, and prints the signature next to each score', () => {
    const r = workbench('--hyp', hyp, '--ref', ref);
    expect(r.code).toBe(0);
    const intl = bleuVector('hi-medium-intl');
    expect(r.stdout).toContain(`BLEU|nrefs:1|case:mixed|eff:no|tok:intl|smooth:exp|version:`);
    expect(r.stdout).toContain(`= ${intl.bleu.toFixed(2)} `);
    expect(r.stdout).toMatch(
      new RegExp(
        `chrF2\\|nrefs:1\\|case:mixed\\|eff:yes\\|nc:6\\|nw:0\\|space:no\\|version:[0-9.]+ = ${intl.chrf.toFixed(2)}`,
      ),
    );
  });

  it('takes several references (--ref twice)', () => {
    const en = bleuVector('en-tworefs-13a');
    const r = workbench(
      '--hyp',
      file('en.hyp', en.hyps),
      '--ref',
      file('en.ref0', en.refs[0]),
      '--ref',
      file('en.ref1', en.refs[1]),
      '--tokenize',
      '13a',
      '--metrics',
      'bleu',
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bleu.score).toBeCloseTo(en.bleu, 4);
    expect(out.bleu.ref_len).toBe(en.ref_len);
    expect(out.bleu.signature).toMatch(/^nrefs:2\|/);
    expect(out.chrf).toBeUndefined();
  });

  it('names the file and both line counts when a reference is not aligned', () => {
    const short = file('short.ref', hi.refs[0].slice(0, 7));
    const r = workbench('--hyp', hyp, '--ref', ref, '--ref', short);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${short} has 7 lines but the hypothesis file ${hyp} has 100`);
  });

  it('rejects unknown tokenizers and metrics with usage (exit 2), and a missing file by name', () => {
    const bad = workbench('--hyp', hyp, '--ref', ref, '--tokenize', 'moses');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tokenize must be one of 13a, intl, none, char/);
    expect(workbench('--hyp', hyp, '--ref', ref, '--metrics', 'ter').stderr).toMatch(/unknown metric "ter"/);
    const missing = workbench('--hyp', join(dir, 'nope.txt'), '--ref', ref);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.txt');
  });
});
