import type { ComparedMetric, RunComparisonResult } from '../../common/dataset-versions.ts';
import { badInput } from '../../common/errors.ts';
import { loadSplitPairs } from '../data/splits.ts';
import { loadTranslator, type Translator } from '../inference/translator.ts';
import { pairedBootstrapMany, type MultiBootstrapResult } from '../metrics/bootstrap.ts';
import type { Db } from '../store/db.ts';
import type { BackendPreference } from '../tf/backend.ts';
import { getVersionById, versionSplitPairs } from '../store/dataset-versions.ts';
import { finishComparison, pendingComparisonsOf } from '../store/run-comparisons.ts';
import { runVersionId } from '../store/run-versions.ts';
import { getRun } from '../store/runs.ts';

/**
 * The stored side of a retrain (retrain.ts): when the clone completes, its trainer decodes the ORIGINAL run's
 * test sentences, as the original's dataset version holds them (a filter may have removed or fixed them in the
 * head since), with both models, and stores the paired bootstrap (1000 resamples, seed 12345) of BLEU and chrF.
 * A failure is stored as the comparison's error: the clone's run stays completed.
 */
const SAMPLES = 1000;

/** `backend`: the one the run trained on (the trainer's process has it loaded). */
export async function completeRunComparisons(db: Db, runId: number, backend?: BackendPreference): Promise<void> {
  for (const c of pendingComparisonsOf(db, runId)) {
    try {
      finishComparison(db, c.id, { result: await compareOnBaselineTest(db, c.baselineRunId, runId, backend) });
    } catch (err) {
      finishComparison(db, c.id, { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

/**
 * The test part of the baseline's split, with the text of the version the baseline trained on. A run trained
 * before runs recorded versions has none: its split's test pairs as the head holds them now, and the label says so.
 */
export function baselineTestSentences(db: Db, baselineRunId: number): TestSet {
  const run = getRun(db, baselineRunId);
  if (run.splitId === null) throw badInput(`run ${baselineRunId} has no recorded data split`);
  const versionId = runVersionId(db, baselineRunId);
  const version = versionId === null ? null : getVersionById(db, versionId);
  const pairs = version
    ? versionSplitPairs(db, version.id, run.splitId, 'test')
    : loadSplitPairs(db, run.splitId, 'test');
  if (pairs.length === 0) throw badInput(`run ${baselineRunId}'s split "${run.config.split}" has no test pairs`);
  const where = `run ${baselineRunId}'s test part of split "${run.config.split}"`;
  const data = version
    ? `${where}, dataset version ${version.number}`
    : `${where}, as the head holds it now (the run recorded no dataset version)`;
  return { sources: pairs.map((p) => p.source), refs: pairs.map((p) => p.target), data };
}

interface TestSet {
  sources: string[];
  refs: string[];
  /** where the sentences came from, in words */
  data: string;
}

async function compareOnBaselineTest(
  db: Db,
  baselineRunId: number,
  runId: number,
  backend?: BackendPreference,
): Promise<RunComparisonResult> {
  const test = baselineTestSentences(db, baselineRunId);
  const decode = async (t: Translator) => (await t.translate(test.sources)).map((x) => x.hypotheses[0]?.text ?? '');
  const baseline = await loadTranslator(db, baselineRunId, 'best', backend);
  const baseHyps = await decode(baseline);
  const sysHyps = await decode(await loadTranslator(db, runId, 'best', backend));
  const refs = [test.refs];
  const systems = [{ name: `run ${runId}`, hyps: sysHyps }];
  const common = { n_samples: SAMPLES, seed: 12345 };
  const bleu = pairedBootstrapMany(baseHyps, systems, refs, {
    ...common,
    metric: 'bleu',
    bleu: { tokenize: baseline.config.sacrebleu_tokenize },
  });
  const chrf = pairedBootstrapMany(baseHyps, systems, refs, { ...common, metric: 'chrf' });
  return {
    sentences: test.sources.length,
    data: test.data,
    bleu: compared(bleu),
    chrf: compared(chrf),
    samples: SAMPLES,
    signature: bleu.signature,
  };
}

function compared(r: MultiBootstrapResult): ComparedMetric {
  const s = r.systems[0];
  return {
    baseline: r.baseline.score,
    system: s.score,
    delta: s.delta,
    baselineCi: r.baseline.ci,
    systemCi: s.ci,
    pValue: s.p_value,
  };
}
