import type { RunGroupDto } from '../../common/contract.ts';
import { bandOf, groupRuns, summarize, type GroupBy } from '../../common/run-groups.ts';
import type { Db } from '../store/db.ts';
import { getRun } from '../store/runs.ts';
import { metricSeries } from './metric-series.ts';

/**
 * runs.groups: the runs grouped (by seed, or by one parameter), each group with per-step bands of
 * every metric asked for and the mean ± std of each run's final value, so the renderer only draws.
 */
export function runGroups(
  db: Db,
  input: { runIds: readonly number[]; by: GroupBy; names?: readonly string[]; buckets?: number },
): RunGroupDto[] {
  const runs = input.runIds.map((id) => getRun(db, id)); // not_found names a missing run
  const series = metricSeries(db, input.runIds, { names: input.names });
  return groupRuns(runs, input.by).map((g) => {
    const names = [...new Set(g.runs.flatMap((r) => Object.keys(series[r.id] ?? {})))].sort();
    const bands: RunGroupDto['bands'] = {};
    const final: RunGroupDto['final'] = {};
    for (const name of names) {
      const perRun = g.runs.map((r) => {
        const s = series[r.id]?.[name];
        return s ? s.steps.map((step, i) => ({ step, value: s.values[i] })) : [];
      });
      bands[name] = bandOf(perRun, input.buckets);
      final[name] = summarize(perRun.map((s) => s[s.length - 1]?.value));
    }
    return { key: g.key, label: g.label, runIds: g.runs.map((r) => r.id), bands, final };
  });
}
