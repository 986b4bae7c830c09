import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun, listEvaluations } from '../src-main/core/inference/evaluate.ts';
import { loadEnsembleTranslator, parseEnsembleRefs } from '../src-main/core/inference/ensemble.ts';
import { loadTranslator, type Translation } from '../src-main/core/inference/translator.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { makeRun, tempDb, writeTestSet } from './inference-fixtures.ts';

/** translate --runs A,B: the members' log-probabilities averaged at every step. */
let db: Db;
let dbPath = '';
let dir = '';
let a = 0;
let b = 0;
const SOURCES = ['How are you?', 'Thank you.', 'Where is the station?'];

beforeAll(async () => {
  ({ db, dbPath, dir } = tempDb());
  ({ runId: a } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 1 }]));
  ({ runId: b } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 2 }]));
});

/** Same tokens; scores, log-probs and attention equal to float rounding (the ensemble renormalises). */
function expectSame(got: Translation[], want: Translation[]): void {
  expect(got.map((t) => t.hypotheses.map((h) => h.text))).toEqual(want.map((t) => t.hypotheses.map((h) => h.text)));
  got.forEach((t, i) =>
    t.hypotheses.forEach((h, j) => {
      const w = want[i].hypotheses[j];
      expect(h.score).toBeCloseTo(w.score, 4);
      h.tokenLogProbs.forEach((lp, k) => expect(lp).toBeCloseTo(w.tokenLogProbs[k], 4));
      h.attention?.forEach((row, k) => row.forEach((v, s) => expect(v).toBeCloseTo(w.attention?.[k][s] ?? NaN, 5)));
    }),
  );
}

describe('ensembles', () => {
  it('an ensemble of one equals the model, greedy and beam', async () => {
    const single = await loadTranslator(db, a, 'best', 'cpu');
    const ensemble = await loadEnsembleTranslator(db, [{ runId: a, checkpoint: 'best' }], 'cpu');
    for (const settings of [{ beam_size: 1 }, { beam_size: 4, n_best: 3 }]) {
      expectSame(await ensemble.translate(SOURCES, settings), await single.translate(SOURCES, settings));
    }
    ensemble.dispose();
  });

  it('an ensemble of a model with itself equals the model; the order of members does not matter', async () => {
    const single = await loadTranslator(db, a, 'best', 'cpu');
    const twice = await loadEnsembleTranslator(db, parseEnsembleRefs(`${a},${a}`), 'cpu');
    expectSame(await twice.translate(SOURCES, { beam_size: 3 }), await single.translate(SOURCES, { beam_size: 3 }));
    twice.dispose();

    // The mean does not depend on the members' order, and two different models score unlike either.
    const ab = await loadEnsembleTranslator(db, parseEnsembleRefs(`${a},${b}:latest`), 'cpu');
    const ba = await loadEnsembleTranslator(db, parseEnsembleRefs(`${b},${a}`), 'cpu');
    expect(ab.members?.map((m) => m.runId)).toEqual([a, b]);
    const outAb = await ab.translate(SOURCES, { beam_size: 3 });
    expectSame(outAb, await ba.translate(SOURCES, { beam_size: 3 }));
    const outA = await single.translate(SOURCES, { beam_size: 3 });
    expect(outAb.map((t) => t.hypotheses[0].score)).not.toEqual(outA.map((t) => t.hypotheses[0].score));
    ab.dispose();
    ba.dispose();
  });

  it('refuses members whose target vocabulary differs, naming the runs and the side', async () => {
    const { runId: other } = await makeRun(db, { trg_voc_limit: 12 }, [{ step: 10, bleu: 3, seed: 1 }]);
    await expect(loadEnsembleTranslator(db, parseEnsembleRefs(`${a},${other}`), 'cpu')).rejects.toThrow(
      new RegExp(`run ${other}'s target vocabulary differs \\(\\d+ vs 12 tokens\\) from run ${a}'s`),
    );
    expect(() => parseEnsembleRefs('1,x')).toThrow(/"x" is not a run id/);
  });

  it("an ensemble is evaluated like a run but stored as no one run's score", async () => {
    const files = writeTestSet(dir);
    const ensemble = await loadEnsembleTranslator(db, parseEnsembleRefs(`${a}`), 'cpu');
    const single = await loadTranslator(db, a, 'best', 'cpu');
    const e = await evaluateRun(db, ensemble, files);
    const s = await evaluateRun(db, single, files);
    expect(e.id).toBeNull();
    expect(e.decoding.ensemble).toEqual([{ runId: a, checkpoint: single.checkpoint.path }]);
    expect(e.bleu).toBeCloseTo(s.bleu, 6);
    expect(listEvaluations(db, a).map((x) => x.id)).toEqual([s.id]);
    ensemble.dispose();
  });

  it('CLI: translate --runs A,B and evaluate --runs; --run with --runs is refused', async () => {
    const exec = promisify(execFile);
    const cli = (args: string[]) => exec(process.execPath, ['bin/workbench.js', '--db', dbPath, ...args]);
    const t = JSON.parse(
      (await cli(['translate', '--runs', `${a},${b}`, '--beam-size', '2', '--json', 'Thank you.'])).stdout,
    );
    expect(t.translations[0].hypotheses[0].text).toEqual(expect.any(String));
    const files = writeTestSet(dir);
    const ev = JSON.parse(
      (await cli(['evaluate', '--runs', `${a},${b}:latest`, '--src', files.src, '--ref', files.ref, '--json'])).stdout,
    );
    expect(ev).toMatchObject({ id: null, decoding: { ensemble: [{ runId: a }, { runId: b }] } });
    await expect(cli(['translate', '--run', `${a}`, '--runs', `${a},${b}`, 'x'])).rejects.toMatchObject({ code: 2 });
  }, 90_000);
});
