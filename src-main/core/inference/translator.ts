import type { RunConfig } from '../../common/config.ts';
import { effectiveDecodeSettings, type DecodeRequest } from '../../common/decode-settings.ts';
import type { Translation } from '../../common/translation.ts';
import { translateBatch, type DecodeOptions } from '../decode/index.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import type { Db } from '../store/db.ts';
import type { CheckpointRecord } from '../store/checkpoints.ts';
import type { TextPipeline } from '../text/pipeline.ts';
import { initBackend, type BackendPreference } from '../tf/backend.ts';
import { loadCheckpoint } from '../train/checkpoint.ts';
import { resolveCheckpoint } from './resolve-checkpoint.ts';

/**
 * A trained run's checkpoint, loaded once and ready to translate text: the
 * one place where CLI translate/evaluate/compare, the playground and the
 * export tests turn strings into hypotheses.
 */
export type TranslateSettings = DecodeRequest;

/** The settings a translation runs with: the run config's under the request's, normalised; prefix as text. */
export type EffectiveDecodeOptions = Omit<DecodeOptions, 'prefix'> & { prefix?: string };

export type { Translation } from '../../common/translation.ts';

export interface EnsembleMember {
  runId: number;
  checkpoint: CheckpointRecord;
}

export class Translator {
  constructor(
    readonly runId: number,
    readonly checkpoint: CheckpointRecord,
    readonly model: Seq2SeqModel,
    readonly pipeline: TextPipeline,
    readonly config: RunConfig,
    /** an ensemble's models (core/inference/ensemble.ts), the first being runId/checkpoint; absent: one model */
    readonly members?: readonly EnsembleMember[],
  ) {}

  /** The effective decoding options: the run config's, overridden by `settings` (prefix as text, not ids). */
  decodeOptions(settings: TranslateSettings = {}): EffectiveDecodeOptions {
    const { return_topk, return_tree, prefix } = settings;
    return {
      ...effectiveDecodeSettings(this.config, settings),
      ...stripUndefined({ return_topk, return_tree, prefix }),
    };
  }

  /**
   * Batched decoding in chunks of `batch` sentences; results in input order.
   * Chunks are cut from the sentences sorted by source length, so a chunk pads
   * to lengths close to its own (a step costs the chunk's longest sentence).
   */
  async translate(sources: readonly string[], settings: TranslateSettings = {}, batch = 64): Promise<Translation[]> {
    const opts: DecodeOptions = { ...this.decodeOptions(settings), prefix: undefined };
    const prefixIds = settings.prefix ? this.pipeline.encodeTarget(settings.prefix) : undefined;
    const allIds = sources.map((s) => this.pipeline.encodeSource(s));
    const order = allIds.map((_, i) => i).sort((a, b) => allIds[a].length - allIds[b].length || a - b);
    const out = new Array<Translation>(sources.length);
    for (let start = 0; start < order.length; start += batch) {
      const chunk = order.slice(start, start + batch);
      const ids = chunk.map((i) => allIds[i]);
      const results = await translateBatch(this.model, ids, {
        ...opts,
        prefix: prefixIds ? chunk.map(() => prefixIds) : undefined,
      });
      results.forEach((r, k) => {
        const i = chunk[k];
        const srcLen = ids[k].length;
        out[i] = {
          source: sources[i],
          sourceTokens: this.pipeline.sourceTokens(sources[i]),
          hypotheses: r.hypotheses.map((h) => ({
            text: this.pipeline.decodeTarget(h.ids).text,
            score: h.score,
            logProb: h.logProb,
            tokens: this.pipeline.trgVocab.decode(h.ids),
            tokenLogProbs: h.tokenLogProbs,
            attention: h.attention?.map((row) => row.slice(0, srcLen)),
            topk: h.topk?.map((step) => step.map((c) => ({ ...c, token: this.pipeline.trgVocab.decode([c.id])[0] }))),
          })),
          tree: r.tree?.map((n) => ({ ...n, text: this.pipeline.trgVocab.decode([n.token])[0] })),
        };
      });
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const cache = new Map<string, Translator>();

/** Loads (or reuses) the translator of a run's checkpoint. */
export async function loadTranslator(
  db: Db,
  runId: number,
  which = 'best',
  backend: BackendPreference = 'auto',
): Promise<Translator> {
  const { name: backendName } = await initBackend(backend);
  const ckpt = resolveCheckpoint(db, runId, which);
  // Keyed by backend too: a model's weights live on the backend it was loaded under.
  const key = `${db.name}|${runId}|${ckpt.path}|${backendName}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const loaded = loadCheckpoint(ckpt.path);
  const t = new Translator(runId, ckpt, loaded.model, loaded.pipeline, loaded.config);
  if (cache.size >= 4) {
    const [oldKey, old] = cache.entries().next().value as [string, Translator];
    old.dispose();
    cache.delete(oldKey);
  }
  cache.set(key, t);
  return t;
}
