import { badInput } from '../../common/errors.ts';
import { maxOutputLength } from '../decode/types.ts';
import { compareRunsOn, type RunsSignificance } from './compare-runs.ts';
import { writeAverage } from '../train/average.ts';
import { loadCheckpoint } from '../train/checkpoint.ts';
import { forcedScores, type ForcedScore } from './forced-score.ts';
import type { BackendsDto } from '../../common/contract.ts';
import { initBackend } from '../tf/backend.ts';
import { adapterLabel, probeWebGpu } from '../tf/webgpu.ts';
import type { InferenceTask, ModelRef } from './protocol.ts';
import { Translator, type Translation, type TranslateSettings } from './translator.ts';

/**
 * The work of the inference process: models loaded once per (run,
 * checkpoint) and kept while they are used, and the tasks it runs with them.
 */
const MAX_MODELS = 4;

/**
 * What one request may cost, checked before decoding with the settings in
 * effect (the run's decoding config under the request's overrides). A
 * max_output_length of 10 or less is a ratio of the source length, so the
 * contract (DECODE_LIMITS) cannot bound the steps alone; and the cost grows
 * with texts x beam x steps, the search tree with beam^2 x steps.
 */
export const DECODE_BUDGET = {
  /** decoding steps of one sentence */
  steps: 512,
  /** sum over the texts of beam x steps: about 3 s of a small model here (200 texts at beam 5 and 60 steps fit) */
  rowSteps: 65_536,
  /**
   * search-tree nodes (2 x beam per kept row and step: at beam 64 a sentence of up to about 60 steps):
   * at most about 70 MB of JSON
   */
  treeNodes: 500_000,
} as const;

export class ModelCache {
  private readonly models = new Map<string, Translator>();

  get(ref: ModelRef): Translator {
    const key = `${ref.runId}|${ref.checkpoint.path}`;
    const hit = this.models.get(key);
    if (hit) {
      // Most recently used last: the first entry is the one to drop.
      this.models.delete(key);
      this.models.set(key, hit);
      return hit;
    }
    const loaded = loadCheckpoint(ref.checkpoint.path);
    const t = new Translator(ref.runId, ref.checkpoint, loaded.model, loaded.pipeline, loaded.config);
    if (this.models.size >= MAX_MODELS) {
      const [oldKey, old] = this.models.entries().next().value as [string, Translator];
      old.dispose();
      this.models.delete(oldKey);
    }
    this.models.set(key, t);
    return t;
  }

  /** Drops the models loaded from a folder that was written again (an average of the same checkpoints). */
  forget(path: string): void {
    for (const [key, t] of this.models) {
      if (t.checkpoint.path !== path) continue;
      t.dispose();
      this.models.delete(key);
    }
  }
}

/**
 * Refuses a request that could decode past DECODE_BUDGET, before decoding anything; `work: false`
 * (a bootstrap over a test set, long by nature) checks the steps of each sentence only.
 */
export function checkDecodeBudget(
  t: Translator,
  texts: readonly string[],
  settings: TranslateSettings,
  work = true,
): void {
  const opts = t.decodeOptions(settings);
  const beam = Math.max(1, opts.beam_size, opts.n_best);
  const prefix = settings.prefix ? t.pipeline.encodeTarget(settings.prefix).length : 0;
  let rowSteps = 0;
  texts.forEach((text, i) => {
    const steps = maxOutputLength(opts.max_output_length, Math.max(1, t.pipeline.encodeSource(text).length)) + prefix;
    if (steps > DECODE_BUDGET.steps) {
      throw badInput(
        `text ${i + 1} could decode for ${steps} tokens (max_output_length ${opts.max_output_length}); ` +
          `at most ${DECODE_BUDGET.steps}: lower max_output_length or shorten the text`,
        {
          field: 'settings.max_output_length',
        },
      );
    }
    rowSteps += beam * steps;
  });
  if (!work) return;
  if (rowSteps > DECODE_BUDGET.rowSteps) {
    throw badInput(
      `${texts.length} texts at beam ${beam} could take ${rowSteps} decoding steps x beams; at most ` +
        `${DECODE_BUDGET.rowSteps}: send fewer texts, a smaller beam or a lower max_output_length`,
      {
        field: 'settings.beam_size',
      },
    );
  }
  if (settings.return_tree && 2 * beam * rowSteps > DECODE_BUDGET.treeNodes) {
    throw badInput(
      `the search tree could grow to ${2 * beam * rowSteps} nodes; at most ${DECODE_BUDGET.treeNodes}: ` +
        `ask for it with a smaller beam, a lower max_output_length or fewer texts`,
      {
        field: 'settings.return_tree',
      },
    );
  }
}

const best = (ts: Translation[]) => ts.map((x) => x.hypotheses[0]?.text ?? '');

/** What the launch form shows: the backend `auto` chose here and why others were skipped, and the GPU adapter. */
async function backends(): Promise<BackendsDto> {
  const active = await initBackend('auto');
  let webgpu: BackendsDto['webgpu'];
  try {
    const adapter = await probeWebGpu();
    webgpu = { adapter, label: adapterLabel(adapter), reason: null };
  } catch (err) {
    webgpu = { adapter: null, label: null, reason: (err as Error).message };
  }
  return {
    auto: active.name,
    attempts: active.attempts.map((a) => ({ name: a.name, ok: a.ok, reason: a.reason ?? null })),
    webgpu,
  };
}

type TaskResult = ForcedScore[] | Translation[] | string[] | string | RunsSignificance | BackendsDto;

export async function runTask(models: ModelCache, task: InferenceTask): Promise<TaskResult> {
  if (task.kind === 'backends') return backends();
  if (task.kind === 'average') {
    await writeAverage(task.plan);
    models.forget(task.plan.dir);
    return task.plan.dir;
  }
  if (task.kind === 'forcedScore') {
    const t = models.get(task.model);
    return forcedScores(t.model, t.pipeline, task.pairs);
  }
  // The run's own pipeline joins target tokens into text (BPE pieces, characters, punctuation spacing).
  if (task.kind === 'detokenize') return models.get(task.model).pipeline.detokenizeTarget(task.tokens);
  if (task.kind === 'translate') {
    const t = models.get(task.model);
    // n_best > beam_size is normalised with the run's settings (Translator.decodeOptions).
    checkDecodeBudget(t, task.texts, task.settings);
    const out = await t.translate(task.texts, task.settings);
    return task.textOnly ? best(out) : out;
  }
  // task.kind === 'significance'
  const [base, ...systems] = [task.baseline, ...task.systems].map((ref) => models.get(ref));
  for (const t of [base, ...systems]) checkDecodeBudget(t, task.data.sources, {}, false);
  return compareRunsOn(base, systems, task.data, {}, task.options);
}
