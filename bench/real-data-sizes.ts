/**
 * Which Transformer size learns most per CPU-minute on the real pairs (prints figures; not a test).
 * Run: npm run bench -- real-data-sizes [--steps=60] [--layers=3,2] [--dims=256] [--tokens=2000]
 * Reads ../shared/data (never copied into the repo).
 *
 * For each size: the real-data preset with that many layers / that model dimension, trained for --steps
 * updates of --tokens target tokens on iitb-sample + wikicrowd (same seed, so the same batches), no
 * validation but a 2-sentence one at the end. Prints target tokens/s (median over the logging windows after
 * the first) and the training loss of the last 20 updates, against the tokens seen: in a compute-bound hour
 * the size to pick is the one whose loss falls fastest per second, not per update.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunConfig } from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { withinLength, type Example } from '../src-main/core/train/batching.ts';
import { Trainer, type LogReport } from '../src-main/core/train/trainer.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const steps = Number(arg('steps', '60'));
const layers = arg('layers', '3,2').split(',').map(Number);
const dims = arg('dims', '256').split(',').map(Number);
const tokens = Number(arg('tokens', '2000'));

const data = new URL('../../shared/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, data), 'utf8').replace(/\n$/, '').split('\n');
const en = [...read('iitb-sample.en'), ...read('wikicrowd.en')];
const hi = [...read('iitb-sample.hi'), ...read('wikicrowd.hi')];
const pairs = en.map((source, i) => ({ source, target: hi[i] }));

const info = await initBackend('auto');
const base = buildRunConfig({ preset: 'real-data', overrides: { dataset: 'bench' } });
const pipeline = TextPipeline.fit(pairs, base);
const train: Example[] = pairs
  .map((p, id) => ({ id, src: pipeline.encodeSource(p.source), trg: pipeline.encodeTarget(p.target) }))
  .filter((e) => withinLength(e, base.max_sent_length));
const valid = { examples: train.slice(0, 2), sources: en.slice(0, 2), references: hi.slice(0, 2), sampleIdx: [] };
console.log(
  `backend ${info.name}; ${train.length} pairs, vocabulary ${pipeline.srcVocab.size}; ` +
    `${steps} updates of ${tokens} tokens`,
);

for (const d of dims) {
  for (const l of layers) {
    const config = buildRunConfig({
      preset: 'real-data',
      overrides: {
        dataset: 'bench',
        num_layers: l,
        embedding_dim: d,
        hidden_size: d,
        ff_size: 4 * d,
        batch_size: tokens,
        max_steps: steps,
        logging_freq: 5,
        validation_freq: 0,
        max_epochs: 1,
        print_valid_sents: 0,
      },
    });
    const model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, config.random_seed);
    const logs: LogReport[] = [];
    const losses: number[] = [];
    const runDir = mkdtempSync(join(tmpdir(), 'wb-sizes-'));
    const trainer = new Trainer({
      model,
      pipeline,
      config,
      train,
      valid,
      runDir,
      callbacks: { onLog: (r) => logs.push(r), onStep: (r) => losses.push(r.loss) },
    });
    const t0 = performance.now();
    await trainer.run();
    const seconds = (performance.now() - t0) / 1000;
    const speeds = logs
      .slice(1)
      .map((r) => r.tokensPerSecond)
      .sort((a, b) => a - b);
    const last = losses.slice(-20);
    const params = [...model.variables.values()].reduce((n, v) => n + v.size, 0);
    console.log(
      `d=${d} layers=${l}: ${(params / 1e6).toFixed(1)}M parameters, ` +
        `${speeds[speeds.length >> 1]?.toFixed(0)} tok/s, ` +
        `${seconds.toFixed(0)} s, train loss over the last ${last.length} updates ` +
        `${(last.reduce((a, b) => a + b, 0) / last.length).toFixed(3)}`,
    );
    trainer.dispose();
    model.dispose();
  }
}
