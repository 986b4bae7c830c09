import type { RunConfig } from '../../common/config.ts';
import { RecurrentModel } from './recurrent-model.ts';
import { TransformerModel } from './transformer.ts';
import type { Seq2SeqModel } from './types.ts';

/** The one place that maps `model_type` to a model class (JoeyNMT's build_model). */
export function buildModel(config: RunConfig, srcVocabSize: number, trgVocabSize: number, seed: number): Seq2SeqModel {
  return config.model_type === 'transformer'
    ? new TransformerModel(config, srcVocabSize, trgVocabSize, seed)
    : new RecurrentModel(config, srcVocabSize, trgVocabSize, seed);
}
