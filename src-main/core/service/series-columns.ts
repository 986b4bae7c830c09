import type { Db } from '../store/db-handle.ts';

/**
 * A metric series' steps and values as typed arrays, kept between requests: a chart of 27 runs x 100k steps
 * asks again for the same series on every view change (smoothing, seed groups, the metric grid, a zoom), and
 * reading 100k rows out of SQLite costs about a hundred times what smoothing and cutting them does.
 *
 * An entry is valid while its run's row says nothing changed (created, started, finished, last heartbeat,
 * status, step: a live run beats, so its series is read again each time; a resume truncates only after a
 * status change) and the series still ends at the same step. A least recently used entry goes when the
 * cache holds more than MAX_CACHED_POINTS points (16 bytes each: 10M points, 160 MB).
 */
export interface SeriesColumns {
  steps: Float64Array;
  values: Float64Array;
}

const MAX_CACHED_POINTS = 10_000_000;

interface Entry extends SeriesColumns {
  stamp: string;
}

const caches = new WeakMap<Db, Map<string, Entry>>();

export function seriesColumns(db: Db, runId: number, name: string): SeriesColumns {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${runId}\u0000${name}`;
  const stamp = stampOf(db, runId, name);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) {
    // most recently used last (Map keeps insertion order)
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rows = db
    .prepare('SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step')
    .raw()
    .all(runId, name) as Array<[number, number]>;
  const entry: Entry = { stamp, steps: new Float64Array(rows.length), values: new Float64Array(rows.length) };
  for (let i = 0; i < rows.length; i++) [entry.steps[i], entry.values[i]] = rows[i];
  cache.delete(key);
  cache.set(key, entry);
  let held = 0;
  for (const e of cache.values()) held += e.values.length;
  for (const [k, e] of cache) {
    if (held <= MAX_CACHED_POINTS || k === key) break;
    cache.delete(k);
    held -= e.values.length;
  }
  return entry;
}

/** What must be unchanged for a cached series to still be the stored one (cheap: a row and an index seek). */
function stampOf(db: Db, runId: number, name: string): string {
  const run = db
    .prepare('SELECT created_at, started_at, finished_at, heartbeat_at, status, step FROM runs WHERE id = ?')
    .raw()
    .get(runId);
  const last = db.prepare('SELECT max(step) FROM metrics WHERE run_id = ? AND name = ?').pluck().get(runId, name);
  return JSON.stringify([run ?? null, last ?? null]);
}
