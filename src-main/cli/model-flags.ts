import type { Translator } from '../core/inference/translator.ts';
import type { Db } from '../core/store/db.ts';
import { chooseBackend } from '../core/tf/backend-choice.ts';
import { requireInt, UsageError } from './context.ts';

/**
 * Which model translate and evaluate decode with: one run (--run ID [--checkpoint C]) or an
 * ensemble (--runs A,B:latest,C: each RUN[:CHECKPOINT], --checkpoint the default of those
 * without one), their log-probabilities averaged at every step.
 */
export const MODEL_FLAGS = {
  run: { type: 'string' },
  runs: { type: 'string' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
} as const;

export const MODEL_FLAGS_USAGE =
  '--run ID | --runs A,B[:CHECKPOINT],… [--checkpoint best|latest|averaged|STEP] [--backend B]';

export async function translatorFromFlags(
  db: Db,
  o: { run?: string; runs?: string; checkpoint?: string; backend?: string },
  command: string,
  usage: string,
): Promise<Translator> {
  if (o.run && o.runs) throw new UsageError(`${command}: --run or --runs (an ensemble), not both`, usage);
  const backend = chooseBackend(o.backend);
  // tfjs and the model code load on first use: --help and a refused flag do not wait for them
  if (o.runs) {
    const { loadEnsembleTranslator, parseEnsembleRefs } = await import('../core/inference/ensemble.ts');
    return loadEnsembleTranslator(db, parseEnsembleRefs(o.runs, o.checkpoint ?? 'best'), backend);
  }
  if (!o.run) throw new UsageError(`${command}: --run ID (or --runs A,B for an ensemble) is required`, usage);
  const { loadTranslator } = await import('../core/inference/translator.ts');
  return loadTranslator(db, requireInt(o.run, 'run'), o.checkpoint ?? 'best', backend);
}
