import { ConfigError, parseOverride } from './config.ts';
import { badInput } from './errors.ts';

/**
 * How a sweep's values are written and how many runs they make: one rule for `workbench sweep --grid`
 * and the launch form's sweep builder (the form shows the count before anything is queued; the core
 * refuses a sweep by the same count before expanding it).
 */
/** More runs than this from one command is a typo (a grid of 5 axes x 10 values), not a plan. */
export const MAX_SWEEP_RUNS = 1000;

export interface SweepAxis {
  key: string;
  values: unknown[];
}

/**
 * `hidden_size=128,256` → { key, values: [128, 256] }, each value read as `--set` reads it (numbers,
 * booleans, null, JSON arrays: `layers=[1,2],[3,4]` splits at commas outside brackets).
 */
export function parseGridOption(option: string): SweepAxis {
  const eq = option.indexOf('=');
  if (eq <= 0) throw badInput(`--grid expects key=v1,v2,…, got "${option}"`, { field: 'grid' });
  const key = option.slice(0, eq).trim();
  const raw = splitOutsideBrackets(option.slice(eq + 1));
  if (raw.some((v) => v.trim() === '')) throw badInput(`--grid ${option}: an empty value`, { field: 'grid' });
  try {
    return { key, values: raw.map((v) => parseOverride(`${key}=${v}`)[1]) };
  } catch (err) {
    if (err instanceof ConfigError) throw badInput(`--grid ${option}: ${err.message}`, { field: 'grid' });
    throw err;
  }
}

/** `1,2,3` → [1, 2, 3]; each an integer. */
export function parseSeeds(option: string): number[] {
  return option.split(',').map((s) => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isInteger(n) || n < 0) {
      throw badInput(`--seeds: "${s}" is not a seed (a whole number ≥ 0)`, { field: 'seeds' });
    }
    return n;
  });
}

/**
 * The runs a sweep makes: every combination of the axes (or `random` draws), once per seed.
 * Computed from the counts alone, so a huge grid is refused without being expanded.
 */
export function sweepRunCount(spec: {
  grid: readonly SweepAxis[];
  seeds?: readonly number[];
  random?: number;
}): number {
  const combos = spec.random ?? spec.grid.reduce((p, a) => p * a.values.length, 1);
  return combos * Math.max(1, spec.seeds?.length ?? 0);
}

/** Splits at commas that are not inside [ ] (JSON array values). */
function splitOutsideBrackets(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
