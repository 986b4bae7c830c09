import * as tf from '@tensorflow/tfjs-core';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import type { Seq2SeqModel } from '../src-main/core/model/types.ts';
import { DECODE_SETTING_DEFAULTS } from '../src-main/common/decode-settings.ts';
import type { DecodeOptions } from '../src-main/core/decode/index.ts';
import { Rng } from '../src-main/core/rng.ts';

/** Tiny model configurations covering every layer type (shared by the model-* and decode-* tests). */
export const SRC_V = 11;
export const TRG_V = 13;

const tiny: Partial<RunConfigInput> = {
  embedding_dim: 6,
  hidden_size: 6,
  dropout: 0,
  emb_dropout: 0,
  num_heads: 2,
  ff_size: 8,
};

export const VARIANTS: Record<string, Partial<RunConfigInput>> = {
  'lstm (tutorial: no attention, init last)': { rnn_type: 'lstm', attention: 'none', init_hidden: 'last' },
  'gru bidirectional bahdanau bridge': {
    rnn_type: 'gru',
    bidirectional: true,
    attention: 'bahdanau',
    init_hidden: 'bridge',
  },
  'lstm 2-layer luong general input feeding': {
    num_layers: 2,
    attention: 'luong',
    luong_score: 'general',
    input_feeding: true,
    init_hidden: 'bridge',
  },
  'lstm luong dot tied zero-init': {
    attention: 'luong',
    luong_score: 'dot',
    input_feeding: false,
    tied_softmax: true,
    init_hidden: 'zero',
  },
  'lstm bidirectional bahdanau 2-layer': {
    bidirectional: true,
    num_layers: 2,
    attention: 'bahdanau',
    init_hidden: 'bridge',
  },
  transformer: { model_type: 'transformer', num_layers: 2 },
};

export function tinyConfig(over: Partial<RunConfigInput> = {}): RunConfig {
  return parseRunConfig({ dataset: 'test', ...tiny, ...over });
}

export function tinyModel(over: Partial<RunConfigInput> = {}, seed = 7): Seq2SeqModel {
  return buildModel(tinyConfig(over), SRC_V, TRG_V, seed);
}

/**
 * A random model is nearly uniform, so its greedy output is a coin toss.
 * Scaling the output layer makes the distributions peaked (like a trained
 * model) so searches differ and finish.
 */
export function sharpen(model: Seq2SeqModel, factor = 6): void {
  for (const [name, v] of model.variables) {
    if (name.startsWith('decoder/output_layer/kernel') || (name === 'trg_embed/weight' && model.config.tied_softmax)) {
      tf.tidy(() => v.assign(tf.mul(v, factor)));
    }
  }
}

/** Random source sentences of ids 4.. (no specials), lengths in [minLen, maxLen]. */
export function randomSources(count: number, seed: number, minLen = 2, maxLen = 7, vocab = SRC_V): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: minLen + rng.int(maxLen - minLen + 1) }, () => 4 + rng.int(vocab - 4)),
  );
}

export function decodeOptions(over: Partial<DecodeOptions> = {}): DecodeOptions {
  return {
    ...DECODE_SETTING_DEFAULTS,
    beam_size: 1,
    beam_alpha: 0,
    length_penalty: 'none',
    n_best: 1,
    max_output_length: 12,
    min_output_length: 1,
    no_repeat_ngram_size: 0,
    repetition_penalty: 1,
    ...over,
  };
}
