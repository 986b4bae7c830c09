// relative, not @common: the lib is also compiled by tsconfig.node.json for its unit tests
import type { RunSummaryDto } from '../../../src-main/common/contract.ts';

/**
 * The run's page and the runs table show one truth. The table's row follows
 * the core's events as they arrive (a run sends progress as soon as its trainer
 * runs); the detail is fetched at most once a second and could still say
 * "queued" next to a "running" row. The detail therefore takes the row's live
 * fields: status, progress, step, backend and error.
 */
export function withLiveFields<D extends RunSummaryDto>(detail: D, row: RunSummaryDto | undefined): D {
  if (!row || row.id !== detail.id) return detail;
  return {
    ...detail,
    status: row.status,
    progress: row.progress,
    step: Math.max(row.step, detail.step),
    backend: row.backend ?? detail.backend,
    error: row.error ?? detail.error,
  };
}
