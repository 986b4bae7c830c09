import { resolve } from 'node:path';
import { badInput } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { exportTarget } from './export-target.ts';
import { getMetricSeries } from '../store/run-metrics.ts';
import { getRun } from '../store/runs.ts';

/** Metric series of any set of runs as long-format CSV (run,metric,step,epoch,wall_time,value) or JSON. */
export function metricsCsv(db: Db, runIds: readonly number[]): string {
  const lines = ['run,metric,step,epoch,wall_time,value'];
  for (const id of runIds) {
    getRun(db, id);
    for (const [name, points] of Object.entries(getMetricSeries(db, id))) {
      for (const p of points) lines.push([id, csvField(name), p.step, p.epoch, p.wall_time, p.value].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** RFC 4180 quoting, for metric names a user chose (commas, quotes). */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function metricsJson(db: Db, runIds: readonly number[]): string {
  const runs = runIds.map((id) => {
    const r = getRun(db, id);
    return { id, name: r.name, status: r.status, config: r.config, metrics: getMetricSeries(db, id) };
  });
  return JSON.stringify({ runs }, null, 1);
}

export function exportMetrics(db: Db, runIds: readonly number[], file: string): { path: string; bytes: number } {
  const path = resolve(file);
  const text = path.endsWith('.json') ? metricsJson(db, runIds) : path.endsWith('.csv') ? metricsCsv(db, runIds) : null;
  if (text === null) throw badInput(`${file}: the metrics file must end in .csv or .json`, { file });
  writeFileAtomic(exportTarget(db, file), text);
  db.prepare("INSERT INTO exports (run_id, kind, path, detail, created_at) VALUES (?, 'metrics', ?, ?, ?)").run(
    runIds[0] ?? null,
    path,
    JSON.stringify({ runs: runIds }),
    new Date().toISOString(),
  );
  return { path, bytes: Buffer.byteLength(text) };
}
