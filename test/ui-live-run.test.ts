import { describe, expect, it } from 'vitest';
import type { RunDetailDto, RunSummaryDto } from '../src-main/common/contract.ts';
import { withLiveFields } from '../src-renderer/src/lib/live-run.ts';

/**
 * The run's page shows the status the runs table shows (issue 13 B2: "running" in the table, "queued" in the detail).
 */
describe('run detail with the live row', () => {
  const detail = {
    id: 3,
    status: 'queued',
    step: 0,
    progress: null,
    backend: null,
    error: null,
    name: 'run-3',
  } as unknown as RunDetailDto;
  const row = {
    id: 3,
    status: 'running',
    step: 12,
    progress: { phase: 'training', loss: 2.5 },
    backend: 'wasm-blas',
    error: null,
  } as unknown as RunSummaryDto;

  it('takes status, progress, step and backend from the row the events keep current', () => {
    const d = withLiveFields(detail, row);
    expect([d.status, d.step, d.backend, d.progress?.loss, d.name]).toEqual(['running', 12, 'wasm-blas', 2.5, 'run-3']);
  });

  it('keeps the detail as fetched when the row is another run or absent', () => {
    expect(withLiveFields(detail, { ...row, id: 4 })).toBe(detail);
    expect(withLiveFields(detail, undefined)).toBe(detail);
  });
});
