import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRunsOn, sentencesFromFiles, twoRunBootstrap } from '../src-main/core/inference/compare-runs.ts';
import { evaluateRun, listEvaluations } from '../src-main/core/inference/evaluate.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import { corpusBleu } from '../src-main/core/metrics/bleu.ts';
import { corpusChrf } from '../src-main/core/metrics/chrf.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { getMetricSeries } from '../src-main/core/store/run-metrics.ts';
import { makeRun, PAIRS, tempDb, writeTestSet } from './inference-fixtures.ts';

const exec = promisify(execFile);
let db: Db;
let dir = '';
let dbPath = '';
let runA = 0;
let runB = 0;
let files: { src: string; ref: string };

beforeAll(async () => {
  ({ db, dir, dbPath } = tempDb());
  ({ runId: runA } = await makeRun(db, {}, [{ step: 12, bleu: 2, seed: 4 }]));
  ({ runId: runB } = await makeRun(db, { model_type: 'transformer', num_heads: 2, ff_size: 16 }, [
    { step: 8, bleu: 1, seed: 5 },
  ]));
  files = writeTestSet(dir);
});

describe('evaluate', () => {
  it('scores the translations with sacreBLEU BLEU/chrF and stores score, signature and decoding settings', async () => {
    const t = await loadTranslator(db, runA);
    const r = await evaluateRun(db, t, files, { beam_size: 3 });
    const hyps = (
      await t.translate(
        PAIRS.map((p) => p.source),
        { beam_size: 3 },
      )
    ).map((x) => x.hypotheses[0].text);
    const refs = [PAIRS.map((p) => p.target)];
    const bleu = corpusBleu(hyps, refs, { tokenize: t.config.sacrebleu_tokenize });
    expect(r.hypotheses).toEqual(hyps);
    expect(r.bleu).toBe(bleu.score);
    expect(r.chrf).toBe(corpusChrf(hyps, refs).score);
    expect(r.signature).toBe(bleu.signature);
    expect(r.signature).toMatch(/^nrefs:1\|.*tok:intl/);

    const [stored] = listEvaluations(db, runA);
    expect(stored).toMatchObject({
      id: r.id,
      bleu: r.bleu,
      chrf: r.chrf,
      signature: r.signature,
      srcPath: files.src,
      refPath: files.ref,
    });
    // the full effective settings: the override and the config's defaults
    expect(stored.decoding).toMatchObject({
      beam_size: 3,
      beam_alpha: t.config.beam_alpha,
      length_penalty: t.config.length_penalty,
      max_output_length: t.config.max_output_length,
    });

    const series = getMetricSeries(db, runA);
    expect(series['test/bleu']).toEqual([expect.objectContaining({ step: 12, value: r.bleu })]);
    expect(series['test/chrf']).toEqual([expect.objectContaining({ step: 12, value: r.chrf })]);
  });

  it('refuses misaligned or unreadable files, naming them, and stores nothing', async () => {
    const t = await loadTranslator(db, runB);
    const short = join(dir, 'short.hi');
    writeFileSync(short, 'एक\nदो\n');
    await expect(evaluateRun(db, t, { src: files.src, ref: short })).rejects.toThrow(
      expect.objectContaining({
        code: 'bad_input',
        message: expect.stringContaining(`${short} has 2 lines but ${files.src} has ${PAIRS.length}`),
      }),
    );
    await expect(evaluateRun(db, t, { src: join(dir, 'nope.en'), ref: files.ref })).rejects.toThrow(
      expect.objectContaining({ code: 'bad_input', where: { file: join(dir, 'nope.en') } }),
    );
    expect(listEvaluations(db, runB)).toEqual([]);
    expect(getMetricSeries(db, runB)['test/bleu']).toBeUndefined();
  });
});

describe('compare', () => {
  it('a run against itself is no difference (p = 1); two runs get a p-value and a bootstrap signature', async () => {
    const a = await loadTranslator(db, runA);
    const b = await loadTranslator(db, runB);
    // The app's compare.bootstrap: the N-run significance of one system, BLEU as a two-run bootstrap.
    const compareRuns = async (base: typeof a, system: typeof a) =>
      twoRunBootstrap(await compareRunsOn(base, [system], sentencesFromFiles(files), {}, { n_samples: 200 }));
    const same = await compareRuns(a, a);
    expect(same.delta).toBe(0);
    expect(same.p_value).toBe(1);
    const r = await compareRuns(a, b);
    expect(r.sentences).toBe(PAIRS.length);
    expect(r.p_value).toBeGreaterThan(0);
    expect(r.p_value).toBeLessThanOrEqual(1);
    expect(r.delta).toBeCloseTo(r.system.score - r.baseline.score, 6);
    expect(r.signature).toMatch(/bs:200/);
  });

  it('workbench evaluate --json and compare through the CLI', async () => {
    const cli = (...args: string[]) => exec(process.execPath, ['bin/workbench.js', '--db', dbPath, ...args]);
    const ev = JSON.parse(
      (
        await cli(
          'evaluate',
          '--run',
          String(runB),
          '--src',
          files.src,
          '--ref',
          files.ref,
          '--beam-size',
          '2',
          '--json',
        )
      ).stdout,
    ) as { bleu: number; signature: string; decoding: { beam_size: number } };
    expect(ev.decoding.beam_size).toBe(2);
    expect(listEvaluations(db, runB).at(-1)).toMatchObject({ bleu: ev.bleu, signature: ev.signature });
    const { stdout } = await cli(
      'compare',
      '--runs',
      `${runA},${runB}`,
      '--src',
      files.src,
      '--ref',
      files.ref,
      '--samples',
      '100',
    );
    expect(stdout).toMatch(/p = \d\.\d{4}: (no significant difference|run \d+ is significantly (better|worse))/);
    expect(stdout).toMatch(/nrefs:1\|bs:100\|seed:\d+\|.*tok:intl/);
  }, 40_000);
});
