// Greedy translation with an exported workbench model, using @tensorflow/tfjs alone (no workbench code).
// Usage: node examples/translate-with-tfjs.mjs EXPORT_DIR "what is your name" ["another sentence" …]
//
// Covers every recurrent model the workbench trains: LSTM or GRU, any number of layers, a bidirectional
// encoder, init_hidden zero / last / bridge, no attention or Bahdanau or Luong (general, dot) attention,
// with or without input feeding, tied output embeddings; word, char or BPE level (workbench-text.mjs).
// It searches as the workbench's greedy search does (beam 1, with the run's min/max output length,
// repetition penalty and no-repeat n-grams) and prints one translation per line, the same text as
// `workbench translate` (tested for each of these variants). Not covered: the Transformer (refused with a
// message) and beam search. Weight names and shapes are those of model.json (see src-main/core/model).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { textPipeline } from './workbench-text.mjs';

const [dir, ...texts] = process.argv.slice(2);
if (!dir || texts.length === 0) {
  console.error('usage: node examples/translate-with-tfjs.mjs EXPORT_DIR TEXT [TEXT …]');
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
if (config.model_type !== 'recurrent') {
  console.error(
    `this example decodes recurrent models only, not a ${config.model_type}: use \`workbench import model\` and \`workbench translate\``,
  );
  process.exit(2);
}
tf.enableProdMode(); // (in Node, tfjs's cpu backend otherwise greets with a "install tfjs-node" banner)
await tf.setBackend('cpu');
const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const bin = readFileSync(join(dir, modelJson.weightsManifest[0].paths[0]));
const w = tf.io.decodeWeights(
  bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  modelJson.weightsManifest[0].weights,
);
const pipeline = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8'));
const text = textPipeline(pipeline);
const srcIndex = new Map(pipeline.srcVocab.tokens.map((t, i) => [t, i]));
const [PAD, SOS, EOS, UNK] = [0, 1, 2, 3];

const {
  rnn_type: cellType,
  num_layers: layers,
  bidirectional,
  attention,
  luong_score: luongScore,
  init_hidden: initHidden,
} = config;
const feedAttention = attention !== 'none' && config.input_feeding;
const H = w['decoder/layer0/recurrent_kernel'].shape[0];
const zeros = () => tf.zeros([1, H]);

/** One step of the RNN layer `name`: x [1, in], state {h, c} ([1, H] each; c for LSTM) → the new state. */
function cellStep(name, x, { h, c }) {
  const xp = tf.add(tf.matMul(x, w[`${name}/kernel`]), w[`${name}/bias`]);
  if (cellType === 'lstm') {
    // Gates i, f, g, o (kernel [in, 4H], recurrent_kernel [H, 4H]).
    const [i, f, g, o] = tf.split(tf.add(xp, tf.matMul(h, w[`${name}/recurrent_kernel`])), 4, 1);
    const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    return { h: tf.mul(tf.sigmoid(o), tf.tanh(c2)), c: c2 };
  }
  // GRU gates r, z, n; the recurrent side has its own bias, and r scales it in n.
  const [xr, xz, xn] = tf.split(xp, 3, 1);
  const [hr, hz, hn] = tf.split(tf.add(tf.matMul(h, w[`${name}/recurrent_kernel`]), w[`${name}/recurrent_bias`]), 3, 1);
  const r = tf.sigmoid(tf.add(xr, hr));
  const z = tf.sigmoid(tf.add(xz, hz));
  const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
  return { h: tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) };
}

/** ids [S] → top-layer states [S, dirs*H] and each layer's final state (both directions concatenated). */
function encode(ids) {
  let x = tf.gather(w['src_embed/weight'], ids); // [S, E]
  const finals = [];
  const run = (name, reverse) => {
    let state = { h: zeros(), c: cellType === 'lstm' ? zeros() : undefined };
    const outs = new Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      const t = reverse ? ids.length - 1 - k : k;
      state = cellStep(name, tf.slice(x, [t, 0], [1, -1]), state);
      outs[t] = state.h;
    }
    return { outputs: tf.concat(outs, 0), final: state };
  };
  for (let l = 0; l < layers; l++) {
    const fwd = run(`encoder/layer${l}/fwd`, false);
    if (!bidirectional) {
      x = fwd.outputs;
      finals.push(fwd.final);
      continue;
    }
    const bwd = run(`encoder/layer${l}/bwd`, true);
    x = tf.concat([fwd.outputs, bwd.outputs], 1);
    finals.push({
      h: tf.concat([fwd.final.h, bwd.final.h], 1),
      c: fwd.final.c && tf.concat([fwd.final.c, bwd.final.c], 1),
    });
  }
  return { states: x, finals };
}

/** The decoder's first state per layer (init_hidden) from the encoder's finals. */
function initialState(finals) {
  return finals.map((f) => {
    if (initHidden === 'zero') return { h: zeros(), c: f.c && zeros() };
    if (initHidden === 'last') return f;
    return { h: tf.tanh(tf.matMul(f.h, w['decoder/bridge_h'])), c: f.c && tf.matMul(f.c, w['decoder/bridge_c']) };
  });
}

/** Attention of query [1, H] over states [S, encDim] → context [1, encDim]. */
function attend(query, states, keys) {
  const scores =
    attention === 'bahdanau'
      ? tf.reshape(
          tf.matMul(
            tf.tanh(tf.add(keys, tf.matMul(query, w['decoder/attention/query_layer']))),
            w['decoder/attention/energy_layer'],
          ),
          [1, -1],
        )
      : tf.matMul(query, keys, false, true); // Luong: q · k (general: k = W states)
  return tf.matMul(tf.softmax(scores), states);
}

/** The workbench's greedy search for one sentence: ids of the translation (no <eos>). */
function translateIds(srcIds) {
  const { states, finals } = encode(srcIds);
  const keys =
    attention === 'bahdanau' || (attention === 'luong' && luongScore === 'general')
      ? tf.matMul(states, w['decoder/attention/key_layer'])
      : states;
  let state = initialState(finals);
  let att = feedAttention ? zeros() : null;
  const trgEmbed = w['trg_embed/weight'] ?? w['src_embed/weight']; // tied_embeddings: one table for both sides
  const outW = config.tied_softmax ? tf.transpose(trgEmbed) : w['decoder/output_layer/kernel'];
  const setting = config.max_output_length;
  const maxLen = setting > 10 ? Math.floor(setting) : Math.ceil(setting * Math.max(1, srcIds.length)) + 10;
  const ids = [];
  let prev = SOS;
  for (;;) {
    let x = tf.gather(trgEmbed, [prev]); // [1, E]
    if (att) x = tf.concat([x, att], 1);
    state = state.map((s, l) => {
      const next = cellStep(`decoder/layer${l}`, x, s);
      x = next.h; // the next layer's input
      return next;
    });
    let out = x;
    if (attention !== 'none') {
      out = tf.tanh(tf.matMul(tf.concat([out, attend(out, states, keys)], 1), w['decoder/att_vector_layer']));
      if (att) att = out;
    }
    const logp = tf.logSoftmax(tf.add(tf.matMul(out, outW), w['decoder/output_layer/bias'])).dataSync();
    constrain(logp, ids);
    if (ids.length + 1 >= maxLen) return ids; // out of room, as the workbench cuts it
    prev = logp.indexOf(Math.max(...logp));
    if (prev === EOS) return ids;
    ids.push(prev);
  }
}

/** As the workbench's search constrains each step (src-main/core/decode/constraints.ts). */
function constrain(logp, history) {
  logp[PAD] = -Infinity;
  logp[SOS] = -Infinity;
  if (history.length < config.min_output_length) logp[EOS] = -Infinity;
  if (config.repetition_penalty !== 1)
    for (const id of new Set(history)) if (id !== EOS) logp[id] *= config.repetition_penalty;
  const n = config.no_repeat_ngram_size;
  if (n > 0 && history.length >= n - 1) {
    const tail = history.slice(history.length - (n - 1));
    for (let i = 0; i + n <= history.length; i++) {
      if (tail.every((id, j) => history[i + j] === id)) logp[history[i + n - 1]] = -Infinity;
    }
  }
}

for (const sentence of texts) {
  const srcIds = text.sourceTokens(sentence).map((t) => srcIndex.get(t) ?? UNK);
  const ids = srcIds.length ? tf.tidy(() => translateIds(srcIds)) : [];
  console.log(text.targetText(ids.map((id) => pipeline.trgVocab.tokens[id] ?? '<unk>')));
}
