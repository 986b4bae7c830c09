// Child process of test/tf-webgpu.test.ts: one backend per process (tfjs backends are global).
// For every model variant (test/model-fixtures.ts: every layer type), prints the training loss of
// one batch and the gradient of every parameter, read back asynchronously (WebGPU cannot read
// synchronously in Node), as JSON on the last line.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendPreference } from '../../src-main/core/tf/backend.ts';
import { sequenceCrossEntropy } from '../../src-main/core/train/loss.ts';
import { VARIANTS, tinyModel } from '../model-fixtures.ts';

const info = await initBackend(process.argv[2] as BackendPreference);
const src = tf.tensor2d(
  [
    [4, 5, 6, 7, 8],
    [9, 10, 4, 0, 0],
  ],
  undefined,
  'int32',
);
const trgIn = tf.tensor2d(
  [
    [1, 4, 5, 6],
    [1, 7, 8, 0],
  ],
  undefined,
  'int32',
);
const trgOut = tf.tensor2d(
  [
    [4, 5, 6, 2],
    [7, 8, 2, 0],
  ],
  undefined,
  'int32',
);

const variants: Record<string, { loss: number; grads: Record<string, number[]> }> = {};
for (const [name, over] of Object.entries(VARIANTS)) {
  const model = tinyModel(over);
  const names = new Map([...model.variables].map(([k, v]) => [v.name, k]));
  // Label smoothing on, as training runs it: the smoothed loss has its own gradient path.
  const { value, grads } = tf.variableGrads(
    () => tf.div(sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut, 0.1).sum, 7) as tf.Scalar,
    [...model.variables.values()],
  );
  const out: Record<string, number[]> = {};
  for (const [tfName, g] of Object.entries(grads)) out[names.get(tfName) ?? tfName] = Array.from(await g.data());
  variants[name] = { loss: (await value.data())[0], grads: out };
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
}
process.stdout.write(JSON.stringify({ backend: info.name, adapter: info.adapter ?? null, variants }) + '\n');
process.exit(0);
