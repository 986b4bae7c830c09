import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { makeCell, maskState, type RnnCell, type RnnState } from './rnn-cells.ts';
import { dropout, type Params } from './params.ts';

/**
 * A (bi)directional multi-layer RNN encoder over padded, right-aligned-free
 * batches: sentences start at position 0 and are padded at the end. At padded
 * steps the state is carried through unchanged, so the forward direction's
 * final state is the state after the last real token, and the backward
 * direction starts from zeros at the true end of each sentence.
 */
export interface EncodedRnn {
  /** [batch, srcLen, dirs*hidden] top-layer outputs, zero at padding */
  states: tf.Tensor3D;
  /** per layer: final h (and c) [batch, dirs*hidden] */
  finals: RnnState[];
}

export class RecurrentEncoder {
  private readonly layers: Array<{ fwd: RnnCell; bwd?: RnnCell }> = [];
  readonly outputSize: number;

  constructor(
    private readonly params: Params,
    private readonly config: RunConfig,
  ) {
    const dirs = config.bidirectional ? 2 : 1;
    const H = config.hidden_size;
    for (let l = 0; l < config.num_layers; l++) {
      const input = l === 0 ? config.embedding_dim : dirs * H;
      this.layers.push({
        fwd: makeCell(config.rnn_type, params, `encoder/layer${l}/fwd`, input, H),
        bwd: config.bidirectional ? makeCell(config.rnn_type, params, `encoder/layer${l}/bwd`, input, H) : undefined,
      });
    }
    this.outputSize = dirs * H;
  }

  /**
   * emb: [batch, srcLen, emb] embedded source; mask: [batch, srcLen] float 1/0.
   */
  run(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): EncodedRnn {
    const batch = emb.shape[0];
    // srcLen × [batch, 1], made on first use: a fused sequence kernel takes the whole mask.
    let stepMasks: tf.Tensor2D[] | undefined;
    const masks = () => (stepMasks ??= tf.unstack(tf.expandDims(mask, 2), 1) as tf.Tensor2D[]);
    let x: tf.Tensor3D = emb;
    const finals: RnnState[] = [];
    this.layers.forEach((layer, l) => {
      if (l > 0) x = dropout(x, this.config.dropout, training, this.params);
      const fwd = this.direction(layer.fwd, x, mask, masks, false, batch);
      if (!layer.bwd) {
        x = fwd.outputs;
        finals.push(fwd.final);
        return;
      }
      const bwd = this.direction(layer.bwd, x, mask, masks, true, batch);
      x = tf.concat([fwd.outputs, bwd.outputs], 2) as tf.Tensor3D;
      finals.push({
        h: tf.concat([fwd.final.h, bwd.final.h], 1) as tf.Tensor2D,
        c: fwd.final.c && bwd.final.c ? (tf.concat([fwd.final.c, bwd.final.c], 1) as tf.Tensor2D) : undefined,
      });
    });
    // Zero the outputs at padding: attention masks them anyway, this keeps them finite and inert.
    const states = tf.mul(x, tf.expandDims(mask, 2)) as tf.Tensor3D;
    return { states, finals };
  }

  private direction(
    cell: RnnCell,
    x: tf.Tensor3D,
    mask: tf.Tensor2D,
    stepMasks: () => tf.Tensor2D[],
    reverse: boolean,
    batch: number,
  ) {
    const proj = cell.project(x) as tf.Tensor3D; // [batch, srcLen, gates*H], all steps in one matmul
    const zeros = tf.zeros([batch, cell.hidden]) as tf.Tensor2D;
    const start: RnnState = { h: zeros, c: cell.hasCell ? zeros : undefined };
    const fused = cell.runSequence?.(proj, start, mask, reverse); // the whole layer in one kernel, where it exists
    if (fused) return { outputs: fused.outputs, final: fused.final };
    const steps = tf.unstack(proj, 1) as tf.Tensor2D[];
    const masks = stepMasks();
    let state = start;
    const outputs: tf.Tensor2D[] = new Array(steps.length);
    for (let k = 0; k < steps.length; k++) {
      const t = reverse ? steps.length - 1 - k : k;
      state = maskState(cell.step(steps[t], state), state, masks[t]);
      outputs[t] = state.h;
    }
    return { outputs: tf.stack(outputs, 1) as tf.Tensor3D, final: state };
  }
}
