/**
 * Batched vs one-at-a-time decoding with a random model (no training needed):
 * the same sentences decoded as one batch and one by one, in the same process,
 * per model type and search. Prints ms/sentence and the speed-up ratio.
 *
 *   node --import tsx bench/decode-batching.ts [--backend wasm|cpu] [--n 200] [--beam 1,5] [--repeat 2]
 *
 * Source sentences: the first N lines of ../shared/data/flores200-devtest.en
 * when present (lengths only: ids are random), otherwise random lengths 4-20.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { parseRunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { DECODE_SETTING_DEFAULTS } from '../src-main/common/decode-settings.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { translateBatch, type DecodeOptions, type DecodeResult } from '../src-main/core/decode/index.ts';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { Rng } from '../src-main/core/rng.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('n', '200'));
const BEAMS = arg('beam', '1').split(',').map(Number);
const REPEAT = Number(arg('repeat', '2'));
const SRC_V = 3000;
const TRG_V = 3000;

const models: Record<string, Partial<RunConfigInput>> = {
  'lstm (tatoeba-lstm sizes)': { embedding_dim: 128, hidden_size: 256, attention: 'none', init_hidden: 'last' },
  'bilstm + bahdanau (tatoeba-attention sizes)': {
    embedding_dim: 128,
    hidden_size: 256,
    bidirectional: true,
    attention: 'bahdanau',
    init_hidden: 'bridge',
  },
  'transformer (tatoeba-transformer sizes)': {
    model_type: 'transformer',
    embedding_dim: 128,
    hidden_size: 128,
    num_layers: 2,
    num_heads: 4,
    ff_size: 512,
  },
};

function sources(): number[][] {
  const rng = new Rng(3);
  const flores = new URL('../../shared/data/flores200-devtest.en', import.meta.url).pathname;
  const lengths = existsSync(flores)
    ? readFileSync(flores, 'utf8')
        .split('\n')
        .filter(Boolean)
        .slice(0, N)
        .map((l) => Math.min(40, l.split(/\s+/).length))
    : Array.from({ length: N }, () => 4 + rng.int(17));
  return lengths.map((len) => Array.from({ length: len }, () => 4 + rng.int(SRC_V - 4)));
}

async function main(): Promise<void> {
  const backend = await initBackend(arg('backend', 'auto') as BackendPreference);
  const src = sources();
  const meanLen = src.reduce((s, x) => s + x.length, 0) / src.length;
  console.log(
    `backend ${backend.name}; ${src.length} sentences, mean source length ` +
      `${meanLen.toFixed(1)}; random weights, vocab ${SRC_V}/${TRG_V}`,
  );
  console.log('(a random model rarely emits <eos>: outputs run to max_output_length 1.0 × source + 10 in both modes)');
  for (const [name, over] of Object.entries(models)) {
    const config = parseRunConfig({ dataset: 'bench', dropout: 0, ...over });
    const model = buildModel(config, SRC_V, TRG_V, 1);
    for (const beam of BEAMS) {
      const opts: DecodeOptions = {
        ...DECODE_SETTING_DEFAULTS,
        beam_size: beam,
        beam_alpha: 1,
        length_penalty: 'gnmt',
        max_output_length: 1,
      };
      await translateBatch(model, src.slice(0, 4), opts); // warm-up
      const before = tf.memory().numTensors;
      // The machine is shared: alternate the two modes and keep each one's best of REPEAT runs.
      let batchMs = Infinity;
      let singleMs = Infinity;
      let batched: DecodeResult[] = [];
      let single: DecodeResult[] = [];
      for (let r = 0; r < REPEAT; r++) {
        let t0 = performance.now();
        batched = await translateBatch(model, src, opts);
        batchMs = Math.min(batchMs, performance.now() - t0);
        t0 = performance.now();
        single = [];
        for (const s of src) single.push((await translateBatch(model, [s], opts))[0]);
        singleMs = Math.min(singleMs, performance.now() - t0);
      }
      const same = batched.filter((r, i) => r.hypotheses[0].ids.join() === single[i].hypotheses[0].ids.join()).length;
      const tokens = batched.reduce((s, r) => s + r.hypotheses[0].ids.length + 1, 0);
      console.log(
        `${name}, beam ${beam}: batch ${(batchMs / src.length).toFixed(2)} ms/sentence ` +
          `(${((src.length / batchMs) * 1000).toFixed(1)} sent/s, ${((tokens / batchMs) * 1000).toFixed(0)} tok/s)` +
          ` | one at a time ${(singleMs / src.length).toFixed(2)} ` +
          `ms/sentence | batched ${(singleMs / batchMs).toFixed(1)}× faster` +
          ` | identical outputs ${same}/${src.length} | tensors leaked ${tf.memory().numTensors - before}`,
      );
    }
    model.dispose();
  }
}

await main();
