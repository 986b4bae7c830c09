import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Output } from '../src-main/common/contract.ts';
import { emaDebiased } from '../src-main/common/series-math.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { recordMetrics } from '../src-main/core/store/run-metrics.ts';

/** Compare-chart data cut down in the service: 100k points in, a chart's worth out, spikes and smoothing intact. */
describe('metrics.series downsampling', () => {
  it('smooths at full resolution, then keeps at most maxPoints per series including a one-step spike', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-metrics-')), 'x.db');
    const db = openDb(dbPath);
    await getDatasetByName(db, 'builtin:tutorial');
    const run = createRunFromRequest(db, { preset: 'tutorial', config: { dataset: 'builtin:tutorial' } });
    const N = 100_000;
    const loss = Array.from(
      { length: N },
      (_, i) => 5 * Math.exp(-i / 20_000) + 0.1 * Math.sin(i / 7) + (i === 61_234 ? 50 : 0),
    );
    recordMetrics(
      db,
      run.id,
      loss.map((value, i) => ({ name: 'train/loss', step: i + 1, epoch: i / 1000, wall_time: 1e9 + i, value })),
    );
    recordMetrics(db, run.id, [{ name: 'valid/bleu', step: 1000, epoch: 1, wall_time: 1e9, value: 3 }]);
    const service = new WorkbenchService({ db, dbPath, door: 'browser', emit: () => {} });

    expect(await service.dispatch('metrics.names', { runIds: [run.id] })).toEqual({
      [run.id]: ['train/loss', 'valid/bleu'],
    });
    const started = performance.now();
    const cut = (await service.dispatch('metrics.series', {
      runIds: [run.id],
      names: ['train/loss'],
      maxPoints: 1000,
      smoothing: { kind: 'ema', weight: 0.99 },
    })) as Output<'metrics.series'>;
    const ms = performance.now() - started;
    const got = cut[run.id]['train/loss'];
    // columns, one entry a point: no epoch or wall time unless asked for
    expect(Object.keys(got).sort()).toEqual(['smoothed', 'steps', 'values']);
    const pts = got.steps.map((step, i) => ({ step, value: got.values[i], smoothed: got.smoothed?.[i] }));
    expect(Object.keys(cut[run.id])).toEqual(['train/loss']);
    expect(pts.length).toBeLessThanOrEqual(1000);
    expect(pts.length).toBeGreaterThan(900);
    expect(pts[0].step).toBe(1);
    expect(pts.at(-1)?.step).toBe(N);
    expect(pts.some((p) => p.step === 61_235 && p.value > 50)).toBe(true); // the spike survives
    const full = emaDebiased(loss, 0.99);
    for (const p of pts) expect(p.smoothed).toBeCloseTo(full[p.step - 1], 9); // smoothed before the cut
    expect(pts.every((p, i) => i === 0 || p.step > pts[i - 1].step)).toBe(true);
    expect(ms).toBeLessThan(2000);

    const all = (await service.dispatch('metrics.series', { runIds: [run.id] })) as Output<'metrics.series'>;
    expect(all[run.id]['train/loss'].steps).toHaveLength(N);
    expect(all[run.id]['train/loss'].values).toEqual(loss);
    expect(Object.keys(all[run.id]['train/loss']).sort()).toEqual(['steps', 'values']);
    // an x axis of epochs or time asks for those columns: of a cut series, the kept points' own
    const timed = (await service.dispatch('metrics.series', {
      runIds: [run.id],
      names: ['train/loss'],
      maxPoints: 1000,
      fields: ['epoch', 'wall_time'],
    })) as Output<'metrics.series'>;
    const t = timed[run.id]['train/loss'];
    expect(t.epochs).toEqual(t.steps.map((s) => (s - 1) / 1000));
    expect(t.wallTimes).toEqual(t.steps.map((s) => 1e9 + s - 1));
    expect(t.smoothed).toBeUndefined();
    await expect(service.dispatch('metrics.series', { runIds: [run.id + 1] })).rejects.toMatchObject({
      code: 'not_found',
    });
    db.close();
  });
});
