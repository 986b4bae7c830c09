import { getDatasetByName } from '../../src-main/core/data/builtin.ts';
import { createRunFromRequest } from '../../src-main/core/runs/launch.ts';
import { openDb } from '../../src-main/core/store/db.ts';
import { recordMetrics, type NewMetric } from '../../src-main/core/store/run-metrics.ts';
import { finishRun } from '../../src-main/core/store/runs.ts';
import { Rng } from '../../src-main/core/rng.ts';

/**
 * A store holding a finished 3 x 3 sweep with 3 seeds (27 runs) without training
 * anything: hidden_size x learning_rate x random_seed on the tutorial preset, each
 * run with `points` logged training steps (loss, tokens/s, memory) and ten
 * validations whose BLEU grows with hidden_size and peaks at the middle learning
 * rate, plus seed noise. For the compare view's e2e test and its render bench.
 */
export interface SweepStoreOptions {
  points: number;
  hiddenSizes?: number[];
  learningRates?: number[];
  seeds?: number[];
}

/** The core's seeded generator (mulberry32): the same sequence each run. */
const rng = (seed: number): (() => number) => {
  const r = new Rng(seed);
  return () => r.next();
};

export async function makeSweepStore(dbPath: string, o: SweepStoreOptions): Promise<number[]> {
  const db = openDb(dbPath);
  await getDatasetByName(db, 'builtin:tutorial');
  const ids: number[] = [];
  const hs = o.hiddenSizes ?? [64, 128, 256];
  const lrs = o.learningRates ?? [0.0003, 0.001, 0.003];
  const seeds = o.seeds ?? [1, 2, 3];
  const t0 = 1.7e9;
  for (const [hi, hidden] of hs.entries())
    for (const [li, lr] of lrs.entries())
      for (const seed of seeds) {
        const set = {
          dataset: 'builtin:tutorial',
          hidden_size: hidden,
          learning_rate: lr,
          random_seed: seed,
          logging_freq: 1,
        };
        const name = `h${hidden}-lr${lr}-s${seed}`;
        const run = createRunFromRequest(db, { preset: 'tutorial', config: set, name });
        const r = rng(run.id * 7919 + seed);
        const quality = 10 + 4 * hi + (li === 1 ? 3 : 0);
        const speed = 9000 / (1 + hi);
        const points: NewMetric[] = [];
        for (let i = 1; i <= o.points; i++) {
          const at = { step: i, epoch: i / 1000, wall_time: t0 + i * (0.05 + 0.02 * hi) };
          const loss = 6 * Math.exp(-i / (o.points / (3 + hi + li))) + 1 + 0.3 * (r() - 0.5) + 0.02 * seed;
          points.push({ name: 'train/loss', ...at, value: loss });
          points.push({ name: 'train/tokens_per_s', ...at, value: speed * (0.9 + 0.2 * r()) });
          points.push({
            name: 'system/memory_mb',
            ...at,
            value: 300 + hidden * 0.8 + 40 * Math.log1p(i / o.points) + r(),
          });
        }
        for (let v = 1; v <= 10; v++) {
          const at = { step: Math.round((v * o.points) / 10), epoch: v, wall_time: t0 + v };
          const bleu = quality * (1 - Math.exp(-v / 3)) + 1.2 * (r() - 0.5) + 0.3 * seed;
          points.push({ name: 'valid/bleu', ...at, value: bleu });
          points.push({ name: 'valid/chrf', ...at, value: 20 + 1.6 * bleu + r() });
          points.push({ name: 'valid/loss', ...at, value: 5 - bleu / 10 });
        }
        recordMetrics(db, run.id, points);
        db.prepare('UPDATE runs SET step = ?, epoch = 10, started_at = ? WHERE id = ?').run(
          o.points,
          new Date(t0 * 1000).toISOString(),
          run.id,
        );
        // a real run's end: its status and the columnar copy of its series (store/metric-columns.ts)
        finishRun(db, run.id, 'completed');
        ids.push(run.id);
      }
  db.close();
  return ids;
}
