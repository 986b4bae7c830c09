import { Rng } from '../rng.ts';

/**
 * Sampling the next token instead of searching for the best one (Fan et al. 2018: top-k;
 * Holtzman et al. 2020: top-p, "nucleus"), as Hugging Face orders the steps: the model's
 * log-probs divided by the temperature, then the top_k most likely kept, then the smallest
 * set of those whose probability reaches top_p, then one token drawn in proportion.
 */
export interface SamplingOptions {
  /** > 0: below 1 sharper, above 1 flatter */
  temperature: number;
  /** keep only the k most likely tokens (0: all) */
  top_k: number;
  /** keep the most likely tokens until their probability reaches p (1: all) */
  top_p: number;
}

export interface SampledToken {
  id: number;
  logprob: number;
}

/**
 * One token drawn from a row of log-probs (after the search's constraints: -Infinity is
 * never drawn). Returns the id and its log-prob under the model (not the tempered one), or
 * null when no token is allowed.
 */
export function sampleToken(logp: Float32Array, opts: SamplingOptions, rng: Rng): SampledToken | null {
  // Candidates best first: the draw walks the same order whatever the vocabulary's layout.
  let ids: number[] = [];
  for (let id = 0; id < logp.length; id++) if (logp[id] !== -Infinity && !Number.isNaN(logp[id])) ids.push(id);
  if (ids.length === 0) return null;
  ids.sort((a, b) => logp[b] - logp[a] || a - b);
  if (opts.top_k > 0) ids = ids.slice(0, opts.top_k);
  // Tempered probabilities, relative to the best (exp of a non-positive number: no overflow).
  const best = logp[ids[0]];
  let weights = ids.map((id) => Math.exp((logp[id] - best) / opts.temperature));
  if (opts.top_p < 1) {
    const total = weights.reduce((s, w) => s + w, 0);
    let mass = 0;
    let keep = 0;
    while (keep < ids.length && mass < opts.top_p * total) mass += weights[keep++];
    ids = ids.slice(0, Math.max(1, keep));
    weights = weights.slice(0, ids.length);
  }
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.next() * total;
  for (let i = 0; i < ids.length; i++) {
    u -= weights[i];
    if (u < 0) return { id: ids[i], logprob: logp[ids[i]] };
  }
  const last = ids[ids.length - 1]; // rounding left u a hair above 0
  return { id: last, logprob: logp[last] };
}

/**
 * The generator of one sampled hypothesis: derived from the seed, the source ids and which
 * sample of the sentence it is, so a sentence samples the same with the same seed whether it
 * is decoded alone or among others (the batches are cut by length).
 */
export function sampleRng(seed: number, srcIds: readonly number[], sample: number): Rng {
  return Rng.derive(seed, sample, srcIds.length, ...srcIds);
}
