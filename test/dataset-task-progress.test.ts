import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTaskBar, ProgressBar } from '../src-main/cli/progress.ts';
import type { WorkbenchEvent } from '../src-main/common/contract.ts';
import { FilterPipelineSchema } from '../src-main/common/filters.ts';
import { applyFilters } from '../src-main/core/data/filters/apply.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { editHistory, editPairs, removePairs } from '../src-main/core/data/pairs.ts';
import { createSplit } from '../src-main/core/data/splits.ts';
import { retrainOnCurrent } from '../src-main/core/runs/retrain.ts';
import { createRun, finishRun, recordRunSetup } from '../src-main/core/store/runs.ts';
import { buildRunConfig } from '../src-main/common/config.ts';
import { trackProgress, type TaskProgressUpdate } from '../src-main/core/data/task-progress.ts';
import { diffVersions } from '../src-main/core/data/version-diff.ts';
import { listVersions } from '../src-main/core/data/versions.ts';
import { Rng } from '../src-main/core/rng.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';

// Dataset tasks (filter preview/apply, version diff, a retrain's snapshot) report progress and stop at a cancel:
// the steps' counts only grow, and a cancel anywhere in an apply leaves the versions and the pairs as they were.

type JobProgress = Extract<WorkbenchEvent, { type: 'job.progress' }>;

let dir: string;
let db: Db;
let datasetId: number;

/** `n` generated pairs, about a third of them with a length ratio over 2 (what the pipeline below removes). */
function writePairs(file: string, n: number, seed: number): void {
  const rng = new Rng(seed);
  const en = ['the', 'river', 'runs', 'to', 'a', 'green', 'valley', 'old', 'house', 'of', 'stone'];
  const hi = ['नदी', 'घर', 'पुराना', 'हरा', 'घाटी', 'पत्थर', 'बारिश', 'रोशनी', 'की', 'में', 'है'];
  const words = (vocab: string[], k: number) =>
    Array.from({ length: k }, () => vocab[Math.floor(rng.next() * vocab.length)]).join(' ');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = 4 + Math.floor(rng.next() * 6);
    lines.push(`${words(en, k)} ${i}\t${words(hi, i % 3 === 0 ? k * 3 : k)}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

const pipeline = FilterPipelineSchema.parse([{ kind: 'length_ratio', maxRatio: 2, minTokens: 1 }]);

/** What an apply may change: the versions, the pairs, the edit history and the archive of old texts. */
function state(id: number) {
  return {
    versions: listVersions(db, id).map((v) => [v.number, v.pairCount]),
    pairs: db.prepare('SELECT count(*) FROM pairs WHERE dataset_id = ?').pluck().get(id),
    history: editHistory(db, id).length,
    archived: db.prepare('SELECT count(*) FROM pair_archive WHERE dataset_id = ?').pluck().get(id),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-task-progress-'));
  writePairs(join(dir, 'small.tsv'), 6000, 3);
  writePairs(join(dir, 'big.tsv'), 40_000, 5);
  db = openDb(join(dir, 'p.db'));
  datasetId = (await importDataset(db, { name: 'small', files: [join(dir, 'small.tsv')], format: 'tsv' })).datasetId;
  await importDataset(db, { name: 'big', files: [join(dir, 'big.tsv')], format: 'tsv' });
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('task progress', () => {
  it('sends about one update per percent of the whole task and one per new step, with growing counts', () => {
    const sent: TaskProgressUpdate[] = [];
    const p = trackProgress(
      (u) => sent.push(u),
      () => false,
    );
    for (let i = 0; i <= 100_000; i++) p.part(0, 0.5).report('measuring pairs', i, 100_000);
    for (let i = 0; i <= 10; i++) p.part(0.5, 1).report('hashing the pairs', i, 10);
    expect(sent.length).toBeGreaterThan(50);
    expect(sent.length).toBeLessThanOrEqual(105);
    expect(sent.map((u) => u.step)).toContain('hashing the pairs');
    for (let k = 1; k < sent.length; k++) expect(sent[k].fraction).toBeGreaterThan(sent[k - 1].fraction);
    expect(sent.at(-1)?.fraction).toBe(1);
  });

  it("estimates the rest at the current step's pace, not from a part that took no time", () => {
    let clock = 0;
    const sent: TaskProgressUpdate[] = [];
    const p = trackProgress(
      (u) => sent.push(u),
      () => false,
      () => clock,
    );
    p.part(0, 0.4).report('measuring pairs', 100, 100); // cached: no time at all
    p.part(0.4, 1).report('removing pairs', 0, 100);
    clock = 3000; // 30% of the task in 3 s: the 30% left, 3 s more
    p.part(0.4, 1).report('removing pairs', 50, 100);
    expect(sent.map((u) => u.etaSeconds)).toEqual([null, null, expect.closeTo(3, 6)]);
    expect(sent[2].rowsPerSecond).toBeCloseTo(50 / 3, 6);
  });

  it('the CLI draws a task on its progress bar: the step, its rows and the ETA', () => {
    const out = new PassThrough();
    const p = datasetTaskBar(new ProgressBar(true, out));
    p.report('measuring pairs', 0, 300_000);
    expect(String(out.read())).toContain('  0% measuring pairs 0/300,000  ETA --:--');
  });

  it('a report after the cancel throws a WorkbenchError "cancelled"', () => {
    let cancelled = false;
    const p = trackProgress(
      () => {},
      () => cancelled,
    );
    p.report('measuring pairs', 1, 10);
    cancelled = true;
    expect(() => p.report('measuring pairs', 2, 10)).toThrow(expect.objectContaining({ code: 'cancelled' }));
  });

  it.each(['measuring pairs', 'removing pairs', 'hashing the pairs', 'recording the version'])(
    'a cancel mid-apply (while %s) writes nothing: versions, pairs, history and archive as before',
    (step) => {
      const before = state(datasetId);
      let seen = 0;
      const p = trackProgress(
        (u) => {
          if (u.step === step) seen++;
        },
        () => seen > 0, // from the step's second report: some of its work is done
      );
      expect(() => applyFilters(db, datasetId, pipeline, { label: 'cut' }, p)).toThrow(
        expect.objectContaining({ code: 'cancelled' }),
      );
      expect(state(datasetId)).toEqual(before);
    },
  );

  it('the apply itself, uncancelled, removes pairs and records a version (what the cancels undid)', () => {
    const before = state(datasetId);
    const sent: TaskProgressUpdate[] = [];
    const out = applyFilters(
      db,
      datasetId,
      pipeline,
      { label: 'cut' },
      trackProgress(
        (u) => sent.push(u),
        () => false,
      ),
    );
    expect(out.removed).toBeGreaterThan(1000);
    expect(state(datasetId).versions).toHaveLength(before.versions.length + 1);
    expect(new Set(sent.map((u) => u.step))).toEqual(
      new Set(['removing pairs', 'hashing the pairs', 'recording the version']), // measured by the cancels before
    );
  });

  it("removePairs (a filter version's removal, set-based) refuses a pair of another dataset, writing nothing", () => {
    const before = state(datasetId);
    const [own] = db.prepare('SELECT id FROM pairs WHERE dataset_id = ? LIMIT 1').pluck().all(datasetId) as number[];
    const other = db.prepare('SELECT id FROM pairs WHERE dataset_id <> ? LIMIT 1').pluck().get(datasetId) as number;
    expect(() => removePairs(db, datasetId, 'x', [own, other])).toThrow(`no pair ${other} in this dataset`);
    expect(state(datasetId)).toEqual(before);
  });

  it('a retrain cancelled while it snapshots the head queues nothing and records no version', () => {
    const splitId = createSplit(db, datasetId, 'main', { seed: 1, valid_ratio: 0.1, test_ratio: 0.1 }).id;
    const config = buildRunConfig({ preset: 'tutorial', base: {}, overrides: { dataset: 'small' } });
    const runId = createRun(db, { name: 'base', config, preset: 'tutorial', datasetId }).id;
    const setup = { datasetId, splitId, datasetHash: 'h', splitHash: 'h', vocabHash: 'h', backend: 'cpu' };
    recordRunSetup(db, runId, { ...setup, environment: {} });
    finishRun(db, runId, 'completed');
    editPairs(db, datasetId, 'an edit: the head is no version yet', [{ op: 'insert', source: 'new', target: 'नया' }]);
    const before = { ...state(datasetId), queued: db.prepare('SELECT count(*) FROM queue').pluck().get() };
    let hashed = 0;
    const p = trackProgress(
      (u) => void (u.step === 'hashing the pairs' && hashed++),
      () => hashed > 0,
    );
    expect(() => retrainOnCurrent(db, runId, p)).toThrow(expect.objectContaining({ code: 'cancelled' }));
    expect({ ...state(datasetId), queued: db.prepare('SELECT count(*) FROM queue').pluck().get() }).toEqual(before);
    expect(retrainOnCurrent(db, runId).versionNumber).toBe(before.versions.length + 1); // uncancelled, it does
  });

  it('a version diff counts the whole diff when its page is past the end', () => {
    const n = listVersions(db, datasetId).length;
    const all = diffVersions(db, 'small', 1, n, { limit: 5 });
    expect(all.counts.removed).toBeGreaterThan(1000);
    const past = diffVersions(db, 'small', 1, n, { offset: all.total + 10, limit: 5 });
    expect(past.rows).toEqual([]);
    expect(past.counts).toEqual(all.counts);
  });
});

describe('through the service (the dataset worker thread)', () => {
  let service: WorkbenchService;
  const events: JobProgress[] = [];

  beforeAll(() => {
    service = new WorkbenchService({
      db,
      dbPath: join(dir, 'p.db'),
      door: 'browser',
      emit: (e) => {
        if (e.type === 'job.progress') events.push(e);
      },
      runQueue: false,
    });
  });
  afterAll(() => service?.close());

  it('a filter preview with a jobId sends job.progress events whose counts grow', async () => {
    events.length = 0;
    await service.dispatch('datasets.filterPreview', { name: 'big', pipeline, jobId: 'preview-1' });
    const measuring = events.filter((e) => e.jobId === 'preview-1' && e.step === 'measuring pairs');
    expect(measuring.length).toBeGreaterThan(10);
    for (let k = 1; k < measuring.length; k++) expect(measuring[k].rows).toBeGreaterThan(measuring[k - 1].rows);
    expect(measuring.at(-1)).toMatchObject({ rows: 40_000, total: 40_000, fraction: 1 });
  }, 60_000);

  it('jobs.cancel during a filter apply: rejected "cancelled", versions and pairs as before', async () => {
    const big = (await service.dispatch('datasets.list', {})) as Array<{ name: string; id: number }>;
    const id = big.find((d) => d.name === 'big')?.id ?? 0;
    const before = state(id);
    events.length = 0;
    let cancelled: unknown = null;
    // The numbers filter needs a pass the preview above did not make: the apply starts by measuring every pair,
    // and is cancelled at its first report of that (about 1% in), with all the writing still ahead.
    const measured = FilterPipelineSchema.parse([...pipeline, { kind: 'numbers' }]);
    const apply = service.dispatch('datasets.filterApply', {
      name: 'big',
      pipeline: measured,
      label: 'x',
      jobId: 'apply-1',
    });
    const stop = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!events.some((e) => e.jobId === 'apply-1' && e.rows > 0)) return;
        clearInterval(poll);
        void service.dispatch('jobs.cancel', { jobId: 'apply-1' }).then((r) => {
          cancelled = r;
          resolve();
        });
      }, 1);
    });
    await expect(apply).rejects.toMatchObject({ code: 'cancelled' });
    await stop;
    expect(cancelled).toEqual({ cancelled: true });
    expect(state(id)).toEqual(before);
  }, 60_000);
});
