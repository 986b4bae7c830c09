import { badInput } from '../../common/errors.ts';
import { EnsembleModel } from '../decode/ensemble.ts';
import type { Db } from '../store/db.ts';
import type { TextPipeline } from '../text/pipeline.ts';
import { initBackend, type BackendPreference } from '../tf/backend.ts';
import { loadCheckpoint, type LoadedCheckpoint } from '../train/checkpoint.ts';
import { resolveCheckpoint } from './resolve-checkpoint.ts';
import { Translator, type EnsembleMember } from './translator.ts';

/**
 * An ensemble of runs as one translator (`translate --runs A,B`, `evaluate --runs A,B`): each
 * member's checkpoint loaded for it, their log-probabilities averaged at every step
 * (decode/ensemble.ts). The first run gives the default decoding settings.
 */
export interface EnsembleRef {
  runId: number;
  /** best | latest | averaged | a step */
  checkpoint: string;
}

/** "3,5:latest,7:1200" → refs; a member without ":CKPT" takes `which`. */
export function parseEnsembleRefs(text: string, which = 'best'): EnsembleRef[] {
  const refs = text.split(',').map((part) => {
    const [run, ckpt] = part.trim().split(':');
    const runId = Number(run);
    if (!Number.isInteger(runId) || runId < 1) {
      throw badInput(`--runs: "${part.trim()}" is not a run id (RUN or RUN:CHECKPOINT)`, { field: 'runs' });
    }
    return { runId, checkpoint: ckpt || which };
  });
  if (refs.length === 0) throw badInput('--runs names no run', { field: 'runs' });
  return refs;
}

export async function loadEnsembleTranslator(
  db: Db,
  refs: readonly EnsembleRef[],
  backend: BackendPreference = 'auto',
): Promise<Translator> {
  await initBackend(backend);
  const members: EnsembleMember[] = refs.map((r) => ({
    runId: r.runId,
    checkpoint: resolveCheckpoint(db, r.runId, r.checkpoint),
  }));
  const loaded: LoadedCheckpoint[] = [];
  try {
    for (const m of members) {
      loaded.push(loadCheckpoint(m.checkpoint.path));
      checkSameVocabulary(loaded[0].pipeline, loaded[loaded.length - 1].pipeline, members[0].runId, m.runId);
    }
  } catch (err) {
    for (const l of loaded) l.model.dispose();
    throw err;
  }
  const model = new EnsembleModel(loaded.map((l) => l.model));
  return new Translator(members[0].runId, members[0].checkpoint, model, loaded[0].pipeline, loaded[0].config, members);
}

/**
 * Members score the same target tokens by id, and read the same source ids: both sides'
 * tokenization and vocabulary must be the same. The error names the side and how it differs.
 */
export function checkSameVocabulary(a: TextPipeline, b: TextPipeline, runA: number, runB: number): void {
  const ja = a.toJSON();
  const jb = b.toJSON();
  const how = (j: typeof ja) => `${j.level}${j.lowercase ? ', lowercased' : ''}`;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const sides = [
    { side: 'target', va: a.trgVocab, vb: b.trgVocab, bpeA: ja.trgBpe, bpeB: jb.trgBpe },
    { side: 'source', va: a.srcVocab, vb: b.srcVocab, bpeA: ja.srcBpe, bpeB: jb.srcBpe },
  ];
  for (const { side, va, vb, bpeA, bpeB } of sides) {
    let why: string | null = null;
    if (ja.level !== jb.level || ja.lowercase !== jb.lowercase) why = `tokenization differs (${how(ja)} vs ${how(jb)})`;
    else if (!same(va.toJSON(), vb.toJSON())) why = `vocabulary differs (${va.size} vs ${vb.size} tokens)`;
    else if (!same(bpeA, bpeB)) why = 'BPE merges differ';
    if (why) {
      const message = `an ensemble needs one vocabulary: run ${runB}'s ${side} ${why} from run ${runA}'s`;
      throw badInput(message, { field: 'runs' });
    }
  }
}
