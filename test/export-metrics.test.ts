import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src-main/common/config.ts';
import { exportMetrics, metricsCsv, metricsJson } from '../src-main/core/export/metrics-export.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { recordMetrics } from '../src-main/core/store/run-metrics.ts';
import { createRun } from '../src-main/core/store/runs.ts';
import { tempDb } from './inference-fixtures.ts';

const exec = promisify(execFile);
let db: Db;
let dir = '';
let dbPath = '';
let a = 0;
let b = 0;

beforeAll(() => {
  ({ db, dir, dbPath } = tempDb());
  const config = parseRunConfig({ dataset: 'test' });
  a = createRun(db, { name: 'lstm', config }).id;
  b = createRun(db, { name: 'transformer', config }).id;
  recordMetrics(db, a, [
    { name: 'train/loss', step: 5, epoch: 0.5, wall_time: 1700000000.25, value: 4.5 },
    { name: 'train/loss', step: 10, epoch: 1, wall_time: 1700000001.5, value: 3.25 },
    { name: 'valid/bleu', step: 10, epoch: 1, wall_time: 1700000002, value: 12.34 },
  ]);
  recordMetrics(db, b, [
    { name: 'train/loss', step: 10, epoch: 1, wall_time: 1700000003, value: 2 },
    { name: 'custom,"odd" name', step: 10, epoch: 1, wall_time: 1700000004, value: 1 },
  ]);
});

describe('metrics export', () => {
  it('CSV is long format, one row per point, in run order, names quoted when needed', () => {
    expect(metricsCsv(db, [b, a])).toBe(
      [
        'run,metric,step,epoch,wall_time,value',
        `${b},"custom,""odd"" name",10,1,1700000004,1`,
        `${b},train/loss,10,1,1700000003,2`,
        `${a},train/loss,5,0.5,1700000000.25,4.5`,
        `${a},train/loss,10,1,1700000001.5,3.25`,
        `${a},valid/bleu,10,1,1700000002,12.34`,
        '',
      ].join('\n'),
    );
  });

  it('JSON carries each run with its name, config and series', () => {
    const j = JSON.parse(metricsJson(db, [a, b])) as {
      runs: Array<{
        id: number;
        name: string;
        config: { dataset: string };
        metrics: Record<string, Array<{ step: number; value: number }>>;
      }>;
    };
    expect(j.runs.map((r) => [r.id, r.name])).toEqual([
      [a, 'lstm'],
      [b, 'transformer'],
    ]);
    expect(j.runs[0].config.dataset).toBe('test');
    expect(j.runs[0].metrics['train/loss']).toEqual([
      { step: 5, epoch: 0.5, wall_time: 1700000000.25, value: 4.5 },
      { step: 10, epoch: 1, wall_time: 1700000001.5, value: 3.25 },
    ]);
  });

  it('writes the file, records the export, and refuses unknown runs or extensions without writing', () => {
    const out = join(dir, 'm.csv');
    expect(exportMetrics(db, [a, b], out).path).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(metricsCsv(db, [a, b]));
    const row = db.prepare("SELECT detail FROM exports WHERE kind = 'metrics' AND path = ?").get(out) as {
      detail: string;
    };
    expect(JSON.parse(row.detail)).toEqual({ runs: [a, b] });
    expect(() => exportMetrics(db, [a, 404], join(dir, 'n.csv'))).toThrow(/run 404/);
    expect(existsSync(join(dir, 'n.csv'))).toBe(false);
    expect(() => exportMetrics(db, [a], join(dir, 'm.txt'))).toThrow(
      expect.objectContaining({ code: 'bad_input', message: expect.stringContaining('m.txt') }),
    );
  });

  it('workbench export metrics --runs A,B --out FILE.json', async () => {
    const out = join(dir, 'cli.json');
    await exec(process.execPath, [
      'bin/workbench.js',
      '--db',
      dbPath,
      'export',
      'metrics',
      '--runs',
      `${a},${b}`,
      '--out',
      out,
    ]);
    expect(readFileSync(out, 'utf8')).toBe(metricsJson(db, [a, b]));
  }, 30_000);
});
