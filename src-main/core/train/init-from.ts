import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../common/errors.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import { readModelWeights } from './checkpoint.ts';
import { describeInitSource, type InitSource } from './init-source.ts';

/** Fine-tuning's weights (the parent resolved and checked by init-source.ts): what was loaded and what was not. */
export interface InitReport {
  source: InitSource;
  /** weights loaded from the parent, by name */
  loaded: number;
  /** weights left at their initialisation, with why */
  skipped: string[];
}

/** Copies into `model` every parent weight with the same name and shape; fails when none fits. */
export function loadMatchingWeights(model: Seq2SeqModel, source: InitSource): InitReport {
  const weights = readModelWeights(source.path);
  try {
    const skipped: string[] = [];
    let loaded = 0;
    for (const [name, variable] of model.variables) {
      const w = weights[name];
      if (!w) skipped.push(`${name} (not in the parent)`);
      else if (!tf.util.arraysEqual(w.shape, variable.shape)) {
        skipped.push(`${name} ([${w.shape}] there, [${variable.shape}] here)`);
      } else {
        variable.assign(w);
        loaded++;
      }
    }
    if (loaded === 0) {
      const first = skipped[0] ?? 'none';
      const message = `load_model: no weight of ${describeInitSource(source)} fits this model (first: ${first})`;
      throw badInput(message, { field: 'load_model' });
    }
    return { source, loaded, skipped };
  } finally {
    tf.dispose(Object.values(weights));
  }
}
