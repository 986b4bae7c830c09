// Learning parity with PyTorch: the matched Tatoeba LSTM config (the tatoeba-lstm preset: E=128, H=256,
// batch 64, Adam 0.002, clip 1, dropout 0.1 before the output layer) trained by the workbench and by a
// PyTorch twin (bench/pytorch_learning_parity.py) on the SAME length-bucketed batches, epoch by epoch;
// writes the train loss per epoch (token-weighted mean of the batch losses, as the trainer logs it) of
// both to a CSV and one PNG (bench/plot_learning_curves.py), and prints the ratio at the last epoch.
//
// Options: --epochs=30 --out=DIR (default test-artifacts/learning-parity) --data=TSV
//          --set=key=value (repeatable: overrides of the workbench config, e.g. --set=initializer=xavier_uniform)
//          --torch-init=pytorch|workbench (the twin's initialisation: PyTorch's defaults, or the workbench's
//          old scheme redrawn in PyTorch, to test initialisation as the cause from the other side)
//          --only=workbench|pytorch --label=NAME (column name of this run in the CSV)
//          --preset=NAME (default tatoeba-lstm; the twin is that model, so with another preset use --only=workbench)
// Needs /usr/bin/python3 with torch (apt-get install -y python3-torch libopenblas0-pthread) and, for the
// PNG, python3-matplotlib. Both sides run side by side, on one thread each.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildRunConfig, parseOverride, type RunConfig } from '../src-main/common/config.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { EOS_ID, PAD_ID, SOS_ID } from '../src-main/core/text/vocab.ts';
import { epochBatches } from '../src-main/core/train/batching.ts';
import { makePlanStep } from './lib/lstm-step.ts';
import { TATOEBA_TSV, tatoebaTrainSide } from './lib/tatoeba-plan.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const epochs = Number(arg('epochs', '30'));
const outDir = resolve(arg('out', 'test-artifacts/learning-parity'));
const dataPath = resolve(arg('data', TATOEBA_TSV));
const only = arg('only', '');
const torchInit = arg('torch-init', 'pytorch');
const overrides = Object.fromEntries(args.filter((a) => a.startsWith('--set=')).map((a) => parseOverride(a.slice(6))));
const here = new URL('.', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });

const preset = arg('preset', 'tatoeba-lstm');
const config: RunConfig = buildRunConfig({
  preset,
  overrides: { dataset: 'tatoeba', max_epochs: epochs, ...overrides },
});

// ---- data: the train side of an 80/10/10 split, the pipeline fitted on it, the trainer's length filter
const { pipeline, examples } = tatoebaTrainSide(config, dataPath);
// Every epoch's batches as the trainer makes them (shuffled, length-bucketed), shared with the twin.
const plan = Array.from({ length: epochs }, (_, e) =>
  epochBatches(examples, e + 1, {
    batchSize: config.batch_size,
    batchType: config.batch_type,
    seed: config.random_seed,
    shuffle: true,
  }),
);
const dataFile = join(outDir, 'batches.json');
writeFileSync(
  dataFile,
  JSON.stringify({
    src_vocab: pipeline.srcVocab.size,
    trg_vocab: pipeline.trgVocab.size,
    pad: PAD_ID,
    sos: SOS_ID,
    eos: EOS_ID,
    config: {
      embedding_dim: config.embedding_dim,
      hidden_size: config.hidden_size,
      dropout: config.dropout,
      learning_rate: config.learning_rate,
      adam_betas: config.adam_betas,
      clip_grad_norm: config.clip_grad_norm,
      seed: config.random_seed,
    },
    examples: examples.map((e) => [e.src, e.trg]),
    epochs: plan,
  }),
);
console.log(
  `${preset}: ${examples.length} train pairs, vocab ${pipeline.srcVocab.size}/${pipeline.trgVocab.size}, ` +
    `${plan[0].length} batches an epoch, ${epochs} epochs`,
);

/** The trainer's update (Trainer.trainStep), epoch by epoch; returns the loss per target token of each epoch. */
async function trainWorkbench(): Promise<number[]> {
  const info = await initBackend('wasm-blas');
  const step = makePlanStep(config, {
    srcVocab: pipeline.srcVocab.size,
    trgVocab: pipeline.trgVocab.size,
    pad: PAD_ID,
    sos: SOS_ID,
    eos: EOS_ID,
    examples: examples.map((e) => [e.src, e.trg]),
    batches: plan.flat(),
  });
  const curve: number[] = [];
  const t0 = performance.now();
  for (const batches of plan) {
    let sum = 0;
    let tokens = 0;
    for (let i = 0; i < batches.length; i++) {
      const r = await step();
      sum += r.lossSum;
      tokens += r.tokens;
    }
    curve.push(sum / tokens);
    console.log(
      `workbench (${info.name}) epoch ${curve.length}: loss ${(sum / tokens).toFixed(4)} ` +
        ` (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  return curve;
}

/** The twin, on the batches written above, in its own process (so side by side with ours, a core each). */
function trainPytorch(): Promise<number[]> {
  const child = spawn('/usr/bin/python3', [join(here, 'pytorch_learning_parity.py'), dataFile, `--init=${torchInit}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  const curve: number[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.startsWith('{'))) {
      const r = JSON.parse(line) as { epoch: number; loss: number; seconds: number };
      curve.push(r.loss);
      console.log(
        `pytorch (init ${torchInit}) epoch ${r.epoch}: loss ${r.loss.toFixed(4)}  (${r.seconds.toFixed(0)} s)`,
      );
    }
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done(curve) : fail(new Error(`the PyTorch twin failed (exit ${code}); is python3-torch installed?`)),
    );
  });
}

// ---- the CSV: one column per curve; a column already there from an earlier run (--only) is kept
const csvPath = join(outDir, 'learning-parity.csv');
const columns = new Map<string, number[]>();
if (existsSync(csvPath) && only) {
  const [head, ...rows] = readFileSync(csvPath, 'utf8').trim().split('\n');
  head
    .split(',')
    .slice(1)
    .forEach((name, c) =>
      columns.set(
        name,
        rows.map((r) => Number(r.split(',')[c + 1])),
      ),
    );
}
const label = arg('label', '');
const twin = only === 'workbench' ? null : trainPytorch(); // started first: it runs while ours trains
if (only !== 'pytorch') columns.set(label || 'workbench', await trainWorkbench());
if (twin) columns.set(label || (torchInit === 'pytorch' ? 'pytorch' : `pytorch-${torchInit}-init`), await twin);
const rows = Array.from({ length: epochs }, (_, e) =>
  [e + 1, ...[...columns.values()].map((c) => c[e]?.toFixed(4) ?? '')].join(','),
);
writeFileSync(csvPath, ['epoch,' + [...columns.keys()].join(','), ...rows].join('\n') + '\n');
console.log(`curves: ${csvPath}`);

const ours = columns.get('workbench')?.[epochs - 1];
const theirs = columns.get('pytorch')?.[epochs - 1];
if (ours !== undefined && theirs !== undefined) {
  const gap = (ours - theirs) / theirs;
  console.log(
    `epoch ${epochs}: workbench ${ours.toFixed(3)}, pytorch ${theirs.toFixed(3)}: ${(100 * gap).toFixed(1)}% ` +
      `${gap > 0 ? 'above' : 'below'} (acceptance: within 10%) ${Math.abs(gap) <= 0.1 ? 'PASS' : 'FAIL'}`,
  );
}
const png = join(outDir, 'learning-parity.png');
const plot = spawnSync(
  '/usr/bin/python3',
  [
    join(here, 'plot_learning_curves.py'),
    csvPath,
    png,
    `${preset} (E=${config.embedding_dim}, H=${config.hidden_size}, B=${config.batch_size}), same batches`,
  ],
  { encoding: 'utf8', stdio: 'inherit' },
);
console.log(plot.status === 0 ? `plot: ${png}` : 'no plot (apt-get install -y python3-matplotlib)');
