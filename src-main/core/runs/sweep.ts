import { ConfigError, RunConfigSchema, type RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import { MAX_SWEEP_RUNS, sweepRunCount, type SweepAxis } from '../../common/sweep-values.ts';
import { Rng } from '../rng.ts';
import { resolveConfig } from './launch.ts';

/**
 * A sweep: one launch spec expanded into many run configs, a grid (every combination) or N random
 * draws over `--grid key=v1,v2` values, each repeated for every seed. Every config is resolved and
 * checked (resolveConfig: the same rules as one launch) BEFORE anything is queued, so one bad value
 * queues nothing and the error names the run and the value.
 */
export interface SweepSpec {
  dataset?: string;
  preset?: string;
  /** `key=value` settings shared by every run (as `train --set`) */
  set?: string[];
  /** settings shared by every run as an object (the launch form's), under `set` */
  config?: Record<string, unknown>;
  /** a JSON config file of shared settings (as `train --config`), under `config` */
  configFile?: string;
  /** the swept values, in `--grid` order */
  grid: SweepAxis[];
  /** random_seed values: each combination runs once per seed */
  seeds?: number[];
  /** N random combinations instead of the whole grid (drawn without repeats while there are new ones) */
  random?: number;
  /** seed of the random draws */
  drawSeed?: number;
  name?: string;
}

export interface SweepRun {
  /** what the run sets, e.g. "hidden_size=128 dropout=0.1 seed=1" (its name follows the sweep's) */
  label: string;
  /** the swept keys' values of this run (random_seed included when seeds are swept) */
  assignment: Record<string, unknown>;
  config: RunConfig;
}

/** Every run of the sweep, validated; throws on the first config that cannot run, naming it. */
export function expandSweep(spec: SweepSpec): SweepRun[] {
  checkAxes(spec);
  // counted before expanding: a grid of 6 axes x 100 values is refused, not built
  const total = sweepRunCount(spec);
  if (total > MAX_SWEEP_RUNS) {
    throw badInput(`the sweep has ${total} runs; at most ${MAX_SWEEP_RUNS} from one command`, { field: 'grid' });
  }
  const combos =
    spec.random !== undefined ? randomCombos(spec.grid, spec.random, spec.drawSeed ?? 0) : gridCombos(spec.grid);
  const seeds = spec.seeds ?? [];
  const runs: SweepRun[] = [];
  for (const combo of combos) {
    for (const seed of seeds.length > 0 ? seeds : [undefined]) {
      const assignment: Record<string, unknown> = { ...combo, ...(seed !== undefined ? { random_seed: seed } : {}) };
      const words = toSet(assignment).map((w) => w.replace(/^random_seed=/, 'seed='));
      let config: RunConfig;
      try {
        // The swept values override the preset and --set (checkAxes refused a key in both).
        const set = [...(spec.set ?? []), ...toSet(assignment)];
        const { dataset, preset, configFile } = spec;
        config = resolveConfig({ dataset, preset, configFile, config: spec.config, set });
      } catch (err) {
        if (err instanceof ConfigError) {
          const which = `sweep run ${runs.length + 1} (${words.join(' ') || 'no swept values'})`;
          throw new ConfigError(`${which}: ${err.message}; nothing was queued`, err.issues);
        }
        throw err;
      }
      runs.push({ label: words.join(' '), assignment, config });
    }
  }
  return runs;
}

function toSet(assignment: Record<string, unknown>): string[] {
  return Object.entries(assignment).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

function checkAxes(spec: SweepSpec): void {
  const setKeys = new Set([
    ...(spec.set ?? []).map((s) => s.slice(0, s.indexOf('=')).trim()),
    ...Object.keys(spec.config ?? {}),
  ]);
  const seen = new Set<string>();
  for (const axis of spec.grid) {
    if (!(axis.key in RunConfigSchema.shape)) throw badInput(`--grid: unknown option "${axis.key}"`, { field: 'grid' });
    if (seen.has(axis.key)) {
      throw badInput(`--grid ${axis.key} is given twice: list its values in one --grid`, { field: 'grid' });
    }
    if (setKeys.has(axis.key)) throw badInput(`${axis.key} is both in --set and --grid: keep one`, { field: 'grid' });
    if (axis.key === 'random_seed' && spec.seeds) {
      throw badInput('random_seed is swept by --seeds: leave it out of --grid', { field: 'grid' });
    }
    seen.add(axis.key);
  }
  if (spec.seeds && setKeys.has('random_seed')) {
    throw badInput('random_seed is both in --set and --seeds: keep one', { field: 'seeds' });
  }
  if (spec.random !== undefined && (!Number.isInteger(spec.random) || spec.random < 1)) {
    throw badInput(`--random takes a number of runs ≥ 1, got ${spec.random}`, { field: 'random' });
  }
  if (spec.random !== undefined && spec.grid.length === 0) {
    throw badInput('--random draws from --grid values: give at least one --grid', { field: 'random' });
  }
}

/** Every combination, the first axis varying slowest (as nested loops in --grid order). */
function gridCombos(axes: readonly SweepAxis[]): Array<Record<string, unknown>> {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  return combos;
}

/**
 * N combinations drawn uniformly (one value per axis), seeded so a sweep can be repeated. Repeats are
 * avoided while unseen combinations remain; past the grid's size they come back (more draws than
 * combinations are allowed: each is its own run).
 */
function randomCombos(axes: readonly SweepAxis[], n: number, seed: number): Array<Record<string, unknown>> {
  const rng = new Rng(seed);
  const size = axes.reduce((p, a) => p * a.values.length, 1);
  const seen = new Set<string>();
  const out: Array<Record<string, unknown>> = [];
  while (out.length < n) {
    if (seen.size >= size) seen.clear();
    const picks = axes.map((a) => rng.int(a.values.length));
    const key = picks.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Object.fromEntries(axes.map((a, i) => [a.key, a.values[picks[i]]])));
  }
  return out;
}
