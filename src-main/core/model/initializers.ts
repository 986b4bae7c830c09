import type { Initializer } from '../../common/config.ts';
import type { Rng } from '../rng.ts';

/**
 * Initial values of one parameter, by JoeyNMT's initializer names
 * (joeynmt/initialization.py), drawn from the project's seeded generator.
 *
 * Weights are stored [in, out] (x · W). An RNN kernel holds its gates side by
 * side ([in, gates*H], gates i f g o or r z n); like JoeyNMT's xavier_uniform_n_
 * and orthogonal_rnn_init_, Xavier and orthogonal treat each gate's [in, H]
 * block as its own matrix (fan_out = H, not gates*H), so a gate's scale does
 * not depend on how many gates share the parameter.
 */
export interface InitSpec {
  scheme: Initializer;
  /** xavier_* and orthogonal: the gain */
  gain: number;
  /** uniform: values in [-weight, weight]; normal: standard deviation */
  weight: number;
}

/**
 * Fills `values` (row-major, `shape`) by `spec`. `gates`: how many gate blocks
 * share the last dimension (1 for a plain matrix). A vector (bias, shape [n])
 * has fan_in = fan_out = n for Xavier, and orthogonal falls back to normal(weight).
 */
export function fillInitial(values: Float32Array, shape: readonly number[], spec: InitSpec, rng: Rng, gates = 1): void {
  const { scheme, gain, weight } = spec;
  const fanIn = shape[0];
  const fanOut = shape[shape.length - 1] / gates;
  switch (scheme) {
    case 'zeros':
      values.fill(0);
      return;
    case 'uniform':
      for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * weight;
      return;
    case 'normal':
      for (let i = 0; i < values.length; i++) values[i] = weight * gaussian(rng);
      return;
    case 'xavier':
    case 'xavier_uniform': {
      // Glorot & Bengio (2010), eq. 16: U(±gain·sqrt(6 / (fan_in + fan_out))), variance gain²·2/(fan_in+fan_out)
      const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit;
      return;
    }
    case 'xavier_normal': {
      const std = gain * Math.sqrt(2 / (fanIn + fanOut));
      for (let i = 0; i < values.length; i++) values[i] = std * gaussian(rng);
      return;
    }
    case 'orthogonal':
      if (shape.length !== 2) {
        for (let i = 0; i < values.length; i++) values[i] = weight * gaussian(rng);
        return;
      }
      fillOrthogonal(values, shape[0], shape[1], gates, gain, rng);
  }
}

/**
 * Saxe et al. (2014): each [rows, H] gate block of the [rows, gates*H] matrix becomes
 * gain · Q, Q with orthonormal columns (rows >= H) or orthonormal rows (rows < H), from
 * the QR decomposition of a Gaussian matrix (Gram-Schmidt; R's diagonal is positive,
 * so Q is uniformly distributed over the orthogonal matrices, as torch.nn.init.orthogonal_).
 */
function fillOrthogonal(values: Float32Array, rows: number, cols: number, gates: number, gain: number, rng: Rng): void {
  const block = cols / gates;
  // Orthonormalise the longer side's vectors: k vectors of length n.
  const [k, n] = rows >= block ? [block, rows] : [rows, block];
  for (let g = 0; g < gates; g++) {
    const q = Array.from({ length: k }, () => Float64Array.from({ length: n }, () => gaussian(rng)));
    for (let j = 0; j < k; j++) {
      // Modified Gram-Schmidt, twice over ("twice is enough", Giraud et al. 2005) for float rounding.
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < j; p++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += q[j][i] * q[p][i];
          for (let i = 0; i < n; i++) q[j][i] -= dot * q[p][i];
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += q[j][i] * q[j][i];
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) q[j][i] /= norm;
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < block; c++) {
        values[r * cols + g * block + c] = gain * (rows >= block ? q[c][r] : q[r][c]);
      }
    }
  }
}

/** Standard normal by Box-Muller (one value per two uniforms, so the stream stays simple to replay). */
function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
