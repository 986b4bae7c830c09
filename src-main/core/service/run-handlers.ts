import { ConfigError } from '../../common/config.ts';
import { resolveConfig } from '../runs/launch.ts';
import { cancelRun, launchRun, resumeRun } from '../runs/lifecycle.ts';
import { deleteRun, getRun } from '../store/runs.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';
import { metricNames, metricSeries } from './metric-series.ts';
import { checkpointDtos, toDetail, toSummary } from './run-dto.ts';

/**
 * Runs and their metrics. The run lifecycle rules (checks before a run exists, one trainer per run,
 * cancel guards) live in core/runs/lifecycle.ts, shared with the CLI.
 */
type RunChannel =
  | 'runs.get'
  | 'runs.validateConfig'
  | 'runs.launch'
  | 'runs.cancel'
  | 'runs.resume'
  | 'runs.delete'
  | 'runs.checkpoints'
  | 'metrics.series'
  | 'metrics.names';

export function runHandlers(h: HandlerContext): HandlersOf<RunChannel> {
  const { db } = h;
  return {
    'runs.get': ({ id }) => toDetail(db, getRun(db, id)),
    'runs.validateConfig': ({ preset, config }) => {
      try {
        return { ok: true, config: resolveConfig({ preset, config }), issues: [] };
      } catch (err) {
        if (err instanceof ConfigError) return { ok: false, config: null, issues: err.issues };
        throw err;
      }
    },
    // The run lifecycle rules (checks before a run exists, one trainer per run, cancel guards) live in
    // core/runs/lifecycle.ts, shared with the CLI.
    'runs.launch': async ({ preset, config, name, parentRunId, backend }) => {
      const handle = await launchRun(db, h.dbPath, { preset, config, name, parentRunId }, { backend, spawn: h.spawn });
      h.watch(handle);
      return toSummary(db, getRun(db, handle.runId));
    },
    'runs.cancel': ({ id }) => {
      cancelRun(db, id, h.live(id));
      return { ok: true };
    },
    'runs.resume': ({ id }) => {
      h.watch(resumeRun(db, h.dbPath, id, { spawn: h.spawn }));
      return toSummary(db, getRun(db, id));
    },
    'runs.delete': ({ id }) => {
      deleteRun(db, id);
      return { ok: true };
    },
    'runs.checkpoints': ({ id }) => checkpointDtos(db, getRun(db, id)),
    'metrics.series': ({ runIds, names, maxPoints, smoothing, range, fields, smoothedOnly }) => {
      for (const id of runIds) getRun(db, id); // not_found names the run
      return metricSeries(db, runIds, { names, maxPoints, smoothing, range, fields, smoothedOnly });
    },
    'metrics.names': ({ runIds }) => metricNames(db, runIds),
  };
}
