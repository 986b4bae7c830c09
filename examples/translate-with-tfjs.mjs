// Greedy translation with an exported workbench model, using @tensorflow/tfjs alone (no workbench code).
// Usage: node examples/translate-with-tfjs.mjs EXPORT_DIR "what is your name"
// Covers the tutorial architecture (one LSTM layer, no attention, init_hidden=last, word level);
// the weight names in model.json say where every other layer type's tensors are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const [dir, text] = process.argv.slice(2);
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
const arch = `${config.model_type}/${config.rnn_type}/${config.num_layers}/${config.bidirectional}/${config.attention}/${config.init_hidden}`;
if (arch !== 'recurrent/lstm/1/false/none/last') {
  console.error(`this example decodes the tutorial architecture (recurrent/lstm/1/false/none/last), not ${arch}`);
  process.exit(2);
}
const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const pipeline = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8'));
const bin = readFileSync(join(dir, modelJson.weightsManifest[0].paths[0]));
const w = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), modelJson.weightsManifest[0].weights);

const srcIndex = new Map(pipeline.srcVocab.tokens.map((t, i) => [t, i]));
const trg = pipeline.trgVocab.tokens; // ids 0..3 are <pad> <sos> <eos> <unk>
// The workbench's word tokenizer, simplified: lowercase (if the run did), split words and punctuation.
const words = (pipeline.lowercase ? text.toLowerCase() : text).normalize('NFC').match(/[\p{L}\p{M}\p{N}'’-]+|\S/gu) ?? [];
const srcIds = words.map((t) => srcIndex.get(t) ?? 3);

// One LSTM step; kernels are [in, 4H] with gates in the order i, f, g, o.
function lstmStep(x, h, c, prefix) {
  const z = tf.add(tf.add(tf.matMul(x, w[`${prefix}/kernel`]), tf.matMul(h, w[`${prefix}/recurrent_kernel`])), w[`${prefix}/bias`]);
  const [i, f, g, o] = tf.split(z, 4, 1);
  const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return [tf.mul(tf.sigmoid(o), tf.tanh(c2)), c2];
}

const H = w['decoder/layer0/recurrent_kernel'].shape[0];
let h = tf.zeros([1, H]);
let c = tf.zeros([1, H]);
for (const id of srcIds) [h, c] = lstmStep(tf.gather(w['src_embed/weight'], [id]), h, c, 'encoder/layer0/fwd');
const out = [];
let prev = 1; // <sos>
for (let t = 0; t < 2 * srcIds.length + 10; t++) {
  [h, c] = lstmStep(tf.gather(w['trg_embed/weight'], [prev]), h, c, 'decoder/layer0');
  const logits = tf.add(tf.matMul(h, w['decoder/output_layer/kernel']), w['decoder/output_layer/bias']);
  prev = tf.argMax(logits, 1).dataSync()[0];
  if (prev === 2) break; // <eos>
  out.push(trg[prev]);
}
console.log(out.join(' ').replace(/ ([।॥.,!?])/g, '$1'));
