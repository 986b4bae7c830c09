import type { Db } from '../store/db-handle.ts';
import { readSeriesColumns, type SeriesColumns } from '../store/metric-columns.ts';

/**
 * A metric series' steps and values as typed arrays, kept between requests: a chart of 27 runs x 100k steps
 * asks again for the same series on every view change (smoothing, seed groups, the metric grid, a zoom). A miss
 * reads the store's columnar copy (store/metric-columns.ts: a blob, not 100k rows at about 2 us each).
 *
 * An entry is valid while its run's row says nothing changed (created, started, finished, last heartbeat,
 * status, step: a live run beats, so its series is read again each time; a resume truncates only after a
 * status change), the series still ends at the same step and its stored copy is the same (an edit deletes it).
 * A least recently used entry goes when the cache holds more than MAX_CACHED_POINTS points (16 bytes each: 10M
 * points, 160 MB).
 */
export type { SeriesColumns };

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
  const columns = readSeriesColumns(db, runId, name);
  // stamped after the read: a read that wrote the missing copy changed the stamp, and the next request would
  // otherwise miss and read the series again
  const entry: Entry = { ...columns, stamp: stampOf(db, runId, name) };
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
  // an edit of an earlier row deletes the stored copy (its triggers): gone or rewritten, the stamp changes
  const copy = db
    .prepare('SELECT rowid, count FROM metric_columns WHERE run_id = ? AND name = ?')
    .raw()
    .get(runId, name);
  return JSON.stringify([run ?? null, last ?? null, copy ?? null]);
}
