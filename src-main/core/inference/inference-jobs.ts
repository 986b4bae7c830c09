import { badInput } from '../../common/errors.ts';
import { maxOutputLength } from '../decode/types.ts';
import { pairedBootstrap, type BootstrapResult } from '../metrics/bootstrap.ts';
import { loadCheckpoint } from '../train/checkpoint.ts';
import type { InferenceTask, ModelRef } from './protocol.ts';
import { Translator, type Translation, type TranslateSettings } from './translator.ts';

/**
 * The work of the inference process: models loaded once per (run,
 * checkpoint) and kept while they are used, and the tasks it runs with them.
 */
const MAX_MODELS = 4;

/**
 * The most decoding steps one sentence may take. A max_output_length of 10 or
 * less is a ratio of the source length, so the contract cannot bound it alone.
 */
export const MAX_DECODE_STEPS = 1024;

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
}

/** Refuses a request whose sentences could decode for longer than MAX_DECODE_STEPS, before decoding anything. */
export function checkDecodeSteps(t: Translator, texts: readonly string[], settings: TranslateSettings): void {
  const setting = t.decodeOptions(settings).max_output_length;
  const prefix = settings.prefix ? t.pipeline.encodeTarget(settings.prefix).length : 0;
  texts.forEach((text, i) => {
    const steps = maxOutputLength(setting, Math.max(1, t.pipeline.encodeSource(text).length)) + prefix;
    if (steps > MAX_DECODE_STEPS) {
      throw badInput(`text ${i + 1} could decode for ${steps} tokens (max_output_length ${setting}); at most ${MAX_DECODE_STEPS}: lower max_output_length or shorten the text`, {
        field: 'settings.max_output_length',
      });
    }
  });
}

const best = (ts: Translation[]) => ts.map((x) => x.hypotheses[0]?.text ?? '');

export async function runTask(models: ModelCache, task: InferenceTask): Promise<Translation[] | string[] | (BootstrapResult & { sentences: number })> {
  if (task.kind === 'translate') {
    const t = models.get(task.model);
    const settings = { ...task.settings };
    if (settings.n_best && settings.n_best > (settings.beam_size ?? 1)) settings.beam_size = settings.n_best;
    checkDecodeSteps(t, task.texts, settings);
    const out = await t.translate(task.texts, settings);
    return task.textOnly ? best(out) : out;
  }
  const a = models.get(task.baseline);
  const b = models.get(task.system);
  checkDecodeSteps(a, task.sources, {});
  checkDecodeSteps(b, task.sources, {});
  const r = pairedBootstrap(best(await a.translate(task.sources)), best(await b.translate(task.sources)), [task.refs], {
    n_samples: task.nSamples,
    bleu: { tokenize: a.config.sacrebleu_tokenize },
  });
  return { ...r, sentences: task.sources.length };
}
