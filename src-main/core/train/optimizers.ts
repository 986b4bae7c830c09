import * as tf from '@tensorflow/tfjs-core';
import { FUSED_ADAM, type FusedAdamAttrs } from '../tf/kernel-configs/fused-adam.ts';
import { sumSquares } from '../tf/kernel-configs/sum-squares.ts';

/**
 * Adam and SGD written out (PyTorch semantics, which JoeyNMT uses), with their
 * state as named tensors so a checkpoint can save it and a resumed run continues
 * bit for bit. tf.train's optimizers keep their slots in anonymous variables that
 * cannot be restored into a fresh process reliably, hence our own.
 *
 * weight_decay is classic L2 (added to the gradient), as torch.optim.Adam/SGD do.
 */
export interface Optimizer {
  readonly name: 'adam' | 'sgd';
  /** Applies one update with the given learning rate. grads: same names as params. */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number): void;
  /** Slot tensors by name (e.g. "m/encoder/emb"), plus the update count. */
  state(): { step: number; slots: tf.NamedTensorMap };
  loadState(state: { step: number; slots: tf.NamedTensorMap }): void;
  dispose(): void;
}

export interface AdamOptions {
  betas: [number, number];
  weightDecay: number;
  eps?: number;
}

export class Adam implements Optimizer {
  readonly name = 'adam';
  private step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(private readonly opts: AdamOptions) {}

  apply(params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number): void {
    this.step += 1;
    const [b1, b2] = this.opts.betas;
    const eps = this.opts.eps ?? 1e-8;
    const bias1 = 1 - b1 ** this.step;
    const bias2 = 1 - b2 ** this.step;
    // PyTorch's form: p -= lr / bias1 * m / (sqrt(v) / sqrt(bias2) + eps)
    const stepSize = lr / bias1;
    const sqrtBias2 = Math.sqrt(bias2);
    // One pass per parameter where the backend has the fused kernel (wasm-blas), else ~10 ops.
    const fused = tf.getKernel(FUSED_ADAM, tf.getBackend()) !== undefined;
    const attrs: FusedAdamAttrs = {
      beta1: b1,
      beta2: b2,
      weightDecay: this.opts.weightDecay,
      stepSize,
      sqrtBias2,
      eps,
    };
    for (const [name, param] of params) {
      const grad = grads[name];
      if (!grad) continue;
      const m = slot(this.m, name, param);
      const v = slot(this.v, name, param);
      if (fused && param.dtype === 'float32' && grad.dtype === 'float32') {
        const [p2, m2, v2] = tf
          .engine()
          .runKernel(FUSED_ADAM, { param, grad, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m2);
        v.assign(v2);
        param.assign(p2);
        tf.dispose([p2, m2, v2]);
        continue;
      }
      tf.tidy(() => {
        const g = this.opts.weightDecay > 0 ? tf.add(grad, tf.mul(param, this.opts.weightDecay)) : grad;
        const mNew = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const vNew = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        m.assign(mNew);
        v.assign(vNew);
        const denom = tf.add(tf.div(tf.sqrt(vNew), sqrtBias2), eps);
        param.assign(tf.sub(param, tf.mul(tf.div(mNew, denom), stepSize)));
      });
    }
  }

  state(): { step: number; slots: tf.NamedTensorMap } {
    const slots: tf.NamedTensorMap = {};
    for (const [name, t] of this.m) slots[`m/${name}`] = t;
    for (const [name, t] of this.v) slots[`v/${name}`] = t;
    return { step: this.step, slots };
  }

  loadState(state: { step: number; slots: tf.NamedTensorMap }): void {
    this.dispose();
    this.step = state.step;
    loadSlots(state.slots, 'm/', this.m);
    loadSlots(state.slots, 'v/', this.v);
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

export interface SgdOptions {
  momentum: number;
  weightDecay: number;
}

export class Sgd implements Optimizer {
  readonly name = 'sgd';
  private step = 0;
  private readonly buf = new Map<string, tf.Variable>();

  constructor(private readonly opts: SgdOptions) {}

  apply(params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number): void {
    this.step += 1;
    for (const [name, param] of params) {
      const grad = grads[name];
      if (!grad) continue;
      tf.tidy(() => {
        let g = this.opts.weightDecay > 0 ? tf.add(grad, tf.mul(param, this.opts.weightDecay)) : grad;
        if (this.opts.momentum > 0) {
          // torch: the first step's buffer is the gradient itself, then buf = mu * buf + g.
          const existing = this.buf.get(name);
          const next = existing ? tf.add(tf.mul(existing, this.opts.momentum), g) : g;
          if (existing) existing.assign(next);
          else this.buf.set(name, tf.variable(next.clone(), false));
          g = next;
        }
        param.assign(tf.sub(param, tf.mul(g, lr)));
      });
    }
  }

  state(): { step: number; slots: tf.NamedTensorMap } {
    const slots: tf.NamedTensorMap = {};
    for (const [name, t] of this.buf) slots[`momentum/${name}`] = t;
    return { step: this.step, slots };
  }

  loadState(state: { step: number; slots: tf.NamedTensorMap }): void {
    this.dispose();
    this.step = state.step;
    loadSlots(state.slots, 'momentum/', this.buf);
  }

  dispose(): void {
    for (const t of this.buf.values()) t.dispose();
    this.buf.clear();
  }
}

function slot(slots: Map<string, tf.Variable>, name: string, like: tf.Variable): tf.Variable {
  let s = slots.get(name);
  if (!s) {
    const zeros = tf.zerosLike(like);
    s = tf.variable(zeros, false);
    zeros.dispose(); // the variable holds its own reference to the data
    slots.set(name, s);
  }
  return s;
}

/** Copies slots into variables; the caller keeps ownership of (and disposes) `source`. */
function loadSlots(source: tf.NamedTensorMap, prefix: string, into: Map<string, tf.Variable>): void {
  for (const [key, t] of Object.entries(source)) {
    if (key.startsWith(prefix)) into.set(key.slice(prefix.length), tf.variable(t, false));
  }
}

/**
 * Global gradient norm sqrt(sum_i ||g_i||^2) over all parameters, and the gradients
 * scaled so that the norm is at most maxNorm (torch.nn.utils.clip_grad_norm_).
 * Returns the pre-clip norm, which is what train/grad_norm records.
 */
export async function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number | null,
): Promise<{ grads: tf.NamedTensorMap; norm: number }> {
  const names = Object.keys(grads);
  const normT = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => sumSquares(grads[n])))));
  // Read asynchronously: a GPU backend (webgpu) cannot read synchronously in Node.
  const norm = (await normT.data())[0];
  normT.dispose();
  if (maxNorm === null || maxNorm <= 0) return { grads, norm };
  const coef = maxNorm / (norm + 1e-6);
  if (coef >= 1) return { grads, norm };
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = tf.mul(grads[n], coef);
  for (const n of names) grads[n].dispose();
  return { grads: clipped, norm };
}
